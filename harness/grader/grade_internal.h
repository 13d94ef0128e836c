/* The grader's own header: what its files share while one submission is
 * graded. Only the files of harness/grader may include it (as git's
 * refs/refs-internal.h); everyone else uses grade.h.
 *
 * Data, and who calls whom. grade.c (the hub) sets up the environment,
 * calls the phases in order and records what each returns into the
 * GradeResult; a phase takes data and returns its result struct (the
 * items it set, the cheats it saw, the inputs it drew) and never calls
 * the hub. Below the phases, what they share, each file calling only
 * what is below it: grade_describe.c (findings told to the student),
 * grade_env.c (the scratch directory, the sandbox, a run's options) and
 * grade_common.c (items, inputs, text for the student):
 *
 *   grade.c -> grade_build.c grade_explore.c grade_threads.c
 *              grade_detect.c grade_score.c
 *           -> grade_describe.c -> grade_common.c
 *           -> grade_env.c
 *
 * (and below those the grader's own modules: scan.c, allow.c, cheat.c,
 * feedback.c, sandbox.c...). tests/style/call_loops.sh fails on any loop
 * among the files. */
#ifndef RACELAB_GRADE_INTERNAL_H
#define RACELAB_GRADE_INTERNAL_H

#ifndef RACELAB_GRADER_INTERNAL
#error "grade_internal.h is internal to harness/grader: include grade.h"
#endif

#include <stdbool.h>

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

/* ---- the data every phase reads ---- */

/* Where one submission is graded, made by grade.c (grade_env_setup): the
 * submission, its scratch directory and sandbox, the grade's deadline,
 * and the inputs' random draws (rng: phases draw in the order the hub
 * calls them). */
typedef struct {
    const GradeOptions *o;
    const Submission *sub;
    char *dir, *src_dir, *src, *cache, *runs, *scan_dir, *lab_cache;
    char **build_wrap; /* the sandbox's argv for a compiler */
    Sandbox sb;
    unsigned long long rng;
    double deadline; /* the grade's budget, on the monotonic clock */
    SourceSet ss;
} GradeEnv;

/* The item that explained each category of finding first: the
 * explanation and the hint are given once per grade, a later item
 * points back to it. Passed from phase to phase by the hub. */
typedef struct {
    const char *by[CAT_COUNT];
} Explained;

/* ---- grade_common.c: items, inputs, text for the student (calls no
 *      other file of the grader) ---- */

/* A phase's own copy of an item: status IS_SKIPPED, no summary, no detail. */
GradeItem grade_item_new(void);
void grade_item_free(GradeItem *c);
void item_set(GradeItem *c, ItemStatus st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
unsigned long long grade_random(GradeEnv *env);
/* Inputs drawn from the `grade:` ranges (low: the detectors' part of them). */
Params grade_draw(GradeEnv *env, bool low);
char *params_text(const Params *ps);
char *expected_line(const CaseSpec *s, const Params *ps);
/* Whether a run printed the right answer for ps (not if its output was
 * cut: the grader reads 1 MiB); if not, why. */
bool grade_right_answer(const CaseSpec *spec, const Params *ps, const RunOutcome *o, char **why);
/* Tool or program text for the student: printable, the grader's
 * scratch path written as the student's file name. */
char *student_text(const GradeEnv *env, const char *s);
/* Why a run did not finish properly: the error, a signal behind an
 * exit status, the program's last lines of stderr. */
void describe_run_error(const GradeEnv *env, const RunOutcome *o, StrBuf *out);

/* ---- grade_env.c: the scratch directory, the sandbox, sandboxed runs ---- */

/* False with g->rejected set if the scratch directory cannot be made. */
bool grade_env_setup(GradeEnv *env, GradeResult *g);
void grade_env_teardown(GradeEnv *env);
/* Seconds left of the grade's budget. */
double grade_left(const GradeEnv *env);
/* The options of a sandboxed run of a built program (free with grade_run_options_free). */
RunOptions grade_run_options(const GradeEnv *env, double timeout);
void grade_run_options_free(RunOptions *ro);
/* Looks in a finished run's directory for what the program made there
 * that only a tool should: files named like reports (a cheat, into cheats). */
void grade_check_run_dir(const RunOutcome *o, CheatList *cheats);

/* ---- grade_describe.c: findings told to the student ---- */

const char *tool_title(ToolId t);
/* Line `line` of the submission, without its indent, at most 120 bytes. */
char *source_line(const GradeEnv *env, int line);
/* One finding: tool, kind, variable, each location as a line of the
 * student's file with its text. */
void describe_finding(const GradeEnv *env, const Finding *f, StrBuf *out);
/* The findings of a report told to the student (but those skipped),
 * with what each category means and a hint, once per grade (ex). */
void describe_report(const GradeEnv *env, const Report *rep, StrBuf *out, const char *item_name, const bool *skip,
                     Explained *ex);

/* ---- the phases, in the order grade.c calls them ---- */

/* grade_score.c: the rubric (each item's points, the items not graded:
 * IS_NA with why; *rejected if no item is), and the points. */
void rubric(const CaseSpec *spec, GradeItem items[ITEM_COUNT], char **rejected);
void score(GradeResult *g);

/* grade_build.c: the builds, the compile item, the scan for cheats. */
typedef struct {
    bool ok; /* every build succeeded (then the scan ran) */
    GradeItem compile;
    BuildResult builds[BUILD_KIND_COUNT];
    CheatList cheats;
    char *rejected;    /* the scan says it cannot be graded, or NULL */
    bool uses_atomics; /* its explore build performs atomic operations */
} BuildPhase;
void build_phase(const GradeEnv *env, BuildPhase *out);
void build_phase_free(BuildPhase *b);

/* grade_explore.c: schedules at drawn inputs (the explore item). */
typedef struct {
    GradeItem item; /* explore */
    CheatList cheats;
    StrBuf runs;         /* the inputs drawn, a line a round */
    bool clean;          /* every schedule right: explore's word is "no findings" */
    bool stuck;          /* a run hung: the detectors would too */
    int threads;         /* the most threads a schedule had, as explore's runtime says (main included) */
    int at_once;         /* the most alive at once in a schedule (main included) */
    char *main_did_work; /* explore saw main make nearly all of the accesses (how), or NULL */
    /* for the hard-coded answer: */
    bool handout_right;   /* right with the handout's inputs */
    bool repeats_handout; /* printed the handout's answer for other inputs */
    char *repeat_where;
    /* what every schedule's runtime saw that proves a pattern safe, for
     * the tool-limitation policy (finding.h) */
    Report evidence;
} ExplorePhase;
void explore_phase(GradeEnv *env, const BuildPhase *b, Explained *ex, ExplorePhase *out);
/* Expected answers written in the source, after the threads phase: a
 * cheat (into cheats), or a note for the explore item (into note). */
void explore_hard_coded(const GradeEnv *env, const ExplorePhase *e, CheatList *cheats, StrBuf *note);
void explore_phase_free(ExplorePhase *e);

/* grade_threads.c: one plain run, its threads measured from outside
 * against the case's own fix ("really concurrent"). */
typedef struct {
    CheatList cheats;
    StrBuf runs;
    char *concurrency;   /* what was measured, or NULL */
    char *serial;        /* its threads never ran at once (why), or NULL */
    char *wrong_summary; /* a wrong answer in the plain run: for the explore item, */
    char *wrong_detail;  /* if nothing failed it yet */
} ThreadsPhase;
void threads_phase(const GradeEnv *env, const BuildPhase *b, const ExplorePhase *e, ThreadsPhase *out);
void threads_phase_free(ThreadsPhase *t);

/* grade_detect.c: one detector's item. decided: what each tool said
 * (the finished runs so far), for the tool-limitation policy. */
typedef struct {
    GradeItem item;
    CheatList cheats;
    StrBuf runs;
    RunOutcome run;      /* the hub keeps it: its report is the tool's word */
    bool decided;        /* the run finished: later tools may rely on its report */
    bool stuck;          /* it did not finish: the next detectors would not either */
    char *wrong_summary; /* a wrong answer under it: for the explore item, */
    char *wrong_detail;  /* if nothing failed it yet */
    char *policy;        /* findings not counted (known tool limitations), or NULL */
} DetectPhase;
void detect_phase(GradeEnv *env, const BuildPhase *b, ToolId tool, ItemId id,
                  const Report *const decided[DETECTOR_COUNT], Explained *ex, DetectPhase *out);
void detect_phase_free(DetectPhase *d); /* all but run, which the hub takes */

#endif
