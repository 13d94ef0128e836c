/* Grading one submitted fix of a case, in a sandbox. The rubric comes from
 * the case: a grade item pays only if the case's handout fails it (the
 * lab proves that, cell by cell), so an unchanged handout scores the
 * compile item and nothing else. The items: it compiles; it is clean
 * under each detector that sees the case's bug (a blind tool pays
 * nothing); and under explore, on native runs at inputs the grader draws,
 * every schedule gives the right answer and shows no deadlock, crash or
 * lock-order cycle. A submission must also be really concurrent, measured
 * from outside, and use only what the case allows; a cheat scores 0 and
 * is named. The result is a list of items with points, then JSON for
 * every output. */
#ifndef RACELAB_GRADE_H
#define RACELAB_GRADE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "cheat.h"
#include "spec.h"
#include "strbuf.h"

typedef enum { ITEM_COMPILE, ITEM_TSAN, ITEM_HELGRIND, ITEM_DRD, ITEM_MEMCHECK, ITEM_EXPLORE, ITEM_COUNT } ItemId;

typedef enum { IS_PASSED, IS_FAILED, IS_SKIPPED, IS_NA } ItemStatus;

typedef struct {
    int points, max;
    ItemStatus status;
    char *summary; /* one line */
    StrBuf detail; /* feedback: findings, lines, explanation, hint */
} GradeItem;

typedef struct {
    const CaseSpec *spec;
    const char *root; /* the lab (for the case's handout and fix: the allow-list) */
    const char *work_dir;
    bool sandbox;
    bool seeded;
    unsigned long long seed;
    bool keep;     /* keep the scratch directory */
    double budget; /* seconds for the whole grade; 0: the default */
} GradeOptions;

/* What the intake found: the source text, or why there is none to grade,
 * and cheats it saw around the file (a .valgrindrc). */
typedef struct {
    char *display; /* the student's file or folder name, printable UTF-8 */
    char *text;
    size_t len;
    char *rejected;
    CheatList cheats;
} Submission;

typedef struct {
    GradeItem items[ITEM_COUNT];
    CheatList cheats;
    char *rejected;
    char *runs_text;   /* the inputs drawn, run by run */
    char *sandbox;     /* what bounded it */
    char *policy;      /* tool limitations applied, or NULL */
    char *concurrency; /* what was measured of its threads */
    int score, max;
    double seconds;
} GradeResult;

const char *item_name(ItemId id);
const char *item_key(ItemId id);

/* intake.c: reads what a student handed in at path (a file or a folder;
 * `name` is how to call it) into s, or says why it cannot be graded. */
void intake(const char *path, const char *name, const char *case_name, Submission *s);

void grade_submission(const GradeOptions *o, const Submission *sub, GradeResult *g);

/* batch.c: grades every entry of dir, jobs at a time, and writes the
 * class's reports into outdir. 0 when every submission got full marks. */
int grade_batch(const GradeOptions *opt, const char *dir, const char *outdir, int jobs);
void grade_result_free(GradeResult *g);
void submission_free(Submission *s);

/* grade_report.c: the grade as JSON; text and Gradescope are made from it. */
json_t *grade_to_json(const GradeOptions *o, const Submission *sub, const GradeResult *g);
void grade_print_text(FILE *out, const json_t *j);
json_t *grade_to_gradescope(const json_t *j);

#endif
