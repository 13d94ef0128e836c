/* The grader's own header: what its phases share while one submission is
 * graded. Only the files of harness/grader may include it (as git's
 * refs/refs-internal.h); everyone else uses grade.h. */
#ifndef RACELAB_GRADE_INTERNAL_H
#define RACELAB_GRADE_INTERNAL_H

#ifndef RACELAB_GRADER_INTERNAL
#error "grade_internal.h is internal to harness/grader: include grade.h"
#endif

#include <stdbool.h>

#include "finding.h"
#include "grade.h"
#include "kinds.h"
#include "lab.h"
#include "sandbox.h"
#include "strbuf.h"
#include "strvec.h"

#define NATIVE_DRAWN 3 /* native runs with drawn inputs, after the handout's own */
#define NATIVE_TIMEOUT 10.0
#define TSAN_TIMEOUT 20.0
#define VALGRIND_TIMEOUT 40.0
#define SHOWN_FINDINGS 5
#define SHOWN_LOG_LINES 30

/* One grade in progress. */
typedef struct {
    const GradeOptions *o;
    const Submission *sub;
    GradeResult *g;
    char *dir, *src_dir, *src, *cache, *runs, *shim_dir;
    char *tag;
    StrVec cflags, ldflags;
    char **build_wrap;
    Sandbox sb;
    unsigned long long rng;
    SourceSet ss;
    StrBuf runs_text;
    char *native_exe;
    int warnings;
    bool hung;         /* some run did not finish: the time check fails */
    bool native_stuck; /* a native run hung or flooded: the detectors are not run */
    int answer_runs, answer_bad;
    char *answer_why;
    bool wrong_value;                 /* some run printed a wrong answer (not only failed) */
    const char *explained[CAT_COUNT]; /* the check that explained each category first */
} Grader;

/* grade.c: the scratch directory, inputs, grade items, one sandboxed lab job */
Params grade_draw(Grader *G, bool low);
char *params_text(const Params *ps);
char *expected_line(const CaseSpec *s, const Params *ps);
GradeItem *item(Grader *G, ItemId id);
void set_item(Grader *G, ItemId id, ItemStatus st, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void run_job(Grader *G, ToolId tool, const Params *ps, LabResult *r);
void answer_bad(Grader *G, const char *where, const char *why, bool wrong_value);

/* grade_build.c: the compile check and the symbols of the binary */
void judge_build(Grader *G, const BuildResult *b, const char *compiler);
void scan_symbols(Grader *G);

/* grade_native.c: native runs: the answer, the threads, the time */
void native_phase(Grader *G);

/* grade_detect.c: one detector's check */
void detector(Grader *G, ToolId tool, ItemId id, bool tsan_clean);

/* grade_score.c */
void finish_answer(Grader *G);
void score(GradeResult *g);

#endif
