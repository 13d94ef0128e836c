/* Cheats: ways a submission can get a clean report without fixing the
 * race. Found in the source text (with comments and string literals told
 * apart from code), in the symbols of the built program (which a macro
 * cannot hide), and at run time by the grader (cmd_grade.c). Each kind has
 * an id and its own message. */
#ifndef RACELAB_CHEATS_H
#define RACELAB_CHEATS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *id;      /* "tsan-options", "stderr", ... */
    int line;      /* in the submission; 0: not a source line */
    char *message; /* what was found, and why it is not allowed */
} Cheat;

typedef struct {
    Cheat *items;
    size_t n, cap;
} CheatList;

typedef struct {
    bool uses_atomics; /* <stdatomic.h>, _Atomic, __atomic_*, __sync_* */
} SourceFacts;

void scan_source(const char *text, size_t len, CheatList *cl, SourceFacts *facts);

/* `nm -P --defined-only` output of the native build. The grader's own
 * thread counter (names starting racelab_count or __wrap_pthread_create)
 * is not the submission's. */
void scan_symbols_text(const char *nm_output, CheatList *cl);

/* Adds a cheat unless one with this id is already listed. */
void cheat_add(CheatList *cl, const char *id, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
bool cheats_has(const CheatList *cl, const char *id);
void cheats_free(CheatList *cl);

/* The first line on which the integer `digits` is written outside a
 * comment (as a number or inside a string), or 0. */
int source_find_number(const char *text, size_t len, const char *digits);

#endif
