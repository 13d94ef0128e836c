/* The scan for cheats: what a submission uses, against its case's
 * allow-list (allow.h). Looked for in the preprocessed translation unit
 * (the student's own lines, after the preprocessor, so that no macro,
 * token pasting or continued #define hides a word) and in the object the
 * compiler made of it (its imports and sections, which no spelling of
 * the source can hide). What the program does at run time is measured
 * by the grader from outside (grade_explore.c, grade_threads.c). */
#ifndef RACELAB_SCAN_H
#define RACELAB_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "allow.h"
#include "cheat.h"

/* tu: gcc -E of the submission; file: its name in the line markers. */
void scan_tu(const char *tu, size_t len, const char *file, const AllowList *a, CheatList *cl);
/* object: gcc -c of the submission. C11 <threads.h> calls are not a
 * cheat but cannot be graded: *unsupported says so (NULL: nothing). */
void scan_object(const char *object, const AllowList *a, CheatList *cl, char **unsupported);
/* Whether a TSan- or explore-instrumented object performs atomic
 * operations (it imports __tsan_atomic*): atomics that take part in the
 * program, not an _Atomic variable declared and never used. */
bool object_uses_atomics(const char *object);

/* The first line with a #line directive (`#line N "f"` or `# N "f"`),
 * or 0: it would make the preprocessor credit the lines after it to
 * another file, out of the scan's sight. */
int source_line_directive(const char *text, size_t len);

/* The first line on which the integer `digits` is written outside a
 * comment (as a number or inside a string), or 0. */
int source_find_number(const char *text, size_t len, const char *digits);

#endif
