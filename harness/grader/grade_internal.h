/* The grader's own header: what its phases share while one submission is
 * graded. Only the files of harness/grader may include it (as git's
 * refs/refs-internal.h); everyone else uses grade.h. */
#ifndef RACELAB_GRADE_INTERNAL_H
#define RACELAB_GRADE_INTERNAL_H

#ifndef RACELAB_GRADER_INTERNAL
#error "grade_internal.h is internal to harness/grader: include grade.h"
#endif

#include <stdbool.h>

#include "allow.h"
#include "build.h"
#include "finding.h"
#include "grade.h"
#include "kinds.h"
#include "lab.h"
#include "run.h"
#include "sandbox.h"
#include "strbuf.h"
#include "strvec.h"

#define DEFAULT_BUDGET 180.0 /* seconds for a whole grade */
#define EXPLORE_ROUNDS 4     /* inputs under explore: the handout's, then drawn */
#define EXPLORE_SEEDS 8      /* schedules at the handout's inputs */
#define EXPLORE_SEEDS_DRAWN 4 /* schedules at each drawn input */
#define EXPLORE_TIMEOUT 10.0
#define PLAIN_TIMEOUT 20.0
#define TSAN_TIMEOUT 10.0
#define VALGRIND_TIMEOUT 40.0
#define SHOWN_FINDINGS 5
#define SHOWN_LOG_LINES 30

/* One grade in progress. */
typedef struct {
    const GradeOptions *o;
    const Submission *sub;
    GradeResult *g;
    char *dir, *src_dir, *src, *cache, *runs, *scan_dir, *lab_cache;
    char **build_wrap;
    Sandbox sb;
    unsigned long long rng;
    double deadline; /* the grade's budget, on the monotonic clock */
    SourceSet ss;
    StrBuf runs_text;
    BuildResult builds[BUILD_KIND_COUNT];
    AllowList allow;
    int warnings;
    bool uses_atomics; /* its explore build performs atomic operations */
    bool stuck;        /* a run hung or flooded: the detectors would too */
    char *serial;      /* its threads never ran at once (why), or NULL */
    int explore_threads; /* the most threads a schedule had, as explore's runtime says (main included) */
    int explore_at_once; /* the most alive at once in a schedule (main included) */
    char *main_did_work; /* explore saw main make nearly all of the accesses (how), or NULL */
    const char *explained[CAT_COUNT]; /* the item that explained each category first */
    const Report *decided[DETECTOR_COUNT]; /* the detectors' reports, for the tool-limitation policy */
    RunOutcome detector_runs[DETECTOR_COUNT];
    Report explore_clean; /* empty: what explore said when every schedule was right */
} Grader;

/* grade.c: the scratch directory, inputs, grade items, sandboxed runs */
Params grade_draw(Grader *G, bool low);
char *params_text(const Params *ps);
char *expected_line(const CaseSpec *s, const Params *ps);
unsigned long long grade_random(Grader *G);
GradeItem *item(Grader *G, ItemId id);
void set_item(Grader *G, ItemId id, ItemStatus st, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Tool or program text for the student: printable, the grader's
 * scratch path written as the student's file name. */
char *student_text(const Grader *G, const char *s);
/* Why a run did not finish properly: the error, a signal behind an
 * exit status, the program's last lines of stderr. */
void describe_run_error(Grader *G, const RunOutcome *o, StrBuf *out);
/* Seconds left of the grade's budget. */
double grade_left(const Grader *G);
/* The options of a sandboxed run of a built program (free with run_options_free). */
RunOptions grade_run_options(Grader *G, double timeout);
void grade_run_options_free(RunOptions *ro);
/* Looks in a finished run's directory for what the program made there
 * that only a tool should: files named like reports (a cheat). */
void grade_check_run_dir(Grader *G, const RunOutcome *o);

/* grade_build.c: the builds, the compile item, the scan for cheats */
bool build_phase(Grader *G);

/* grade_explore.c: schedules at drawn inputs (the explore item), the
 * threads measured from outside, the hard-coded answer */
void explore_phase(Grader *G);

/* grade_detect.c: one detector's item */
/* Line `line` of the submission, without its indent, at most 120 bytes. */
char *source_line(Grader *G, int line);
void detector(Grader *G, ToolId tool, ItemId id);
/* The findings of a report told to the student, with explanations. */
void describe_report(Grader *G, const Report *rep, StrBuf *out, const char *item_name, const bool *skip);

/* grade_score.c: the rubric and the points */
void rubric(Grader *G);
void score(GradeResult *g);

#endif
