/* One lab job: build a program, run it under one tool, judge the result
 * against its case. The lab tests, `matrix` and `grade` all go through it. */
#ifndef RACELAB_LAB_H
#define RACELAB_LAB_H

#include <stdbool.h>
#include <stdio.h>

#include "build.h"
#include "judge.h"
#include "run.h"
#include "spec.h"

typedef enum { VARIANT_BUGGY, VARIANT_FIXED } Variant;

typedef struct {
    const CaseSpec *spec;
    const char *source; /* the program: cases/X.c, fixed/X.c or a submission */
    Variant variant;    /* buggy: the spec's findings; fixed: clean + right answer */
    ToolId tool;
    const RunOptions *run;
    const char *cache_dir;
    const Params *params;       /* detector arguments; NULL: the spec's */
    const Params *stress;       /* native arguments; NULL: the spec's */
    int native_runs;            /* 0: default */
    double hang_timeout;        /* for `native: deadlock with ARG`; 0: default */
    const StrVec *cflags;       /* extra compiler arguments, native builds only */
    const StrVec *ldflags;      /* after the sources, native builds only (grade: the thread counter) */
    char *const *build_wrapper; /* argv prefix for the compiler (sandbox), may be NULL */
    /* explore: how many schedules (0: the default), from which seed (0:
     * 1); replay: just the one seed first_seed */
    int seeds;
    unsigned long long first_seed;
    bool replay;
    /* explore, systematic (systematic.h): every schedule with <= bound
     * preemptions at the case's verify: inputs, instead of seeds; or the
     * one schedule `schedule` */
    bool systematic;
    int bound;
    const char *schedule;
} LabJob;

typedef struct {
    Verdict verdict, expected;
    bool pass;
    BuildResult build;
    RunOutcome *runs;
    size_t nruns;
    int bad_runs;                  /* native: runs whose answer was wrong */
    int explored, explore_failing; /* explore: schedules run, and of them with a finding */
    char *note;                    /* one line: the oracle's complaint, the rate, the error */
    double seconds;
} LabResult;

const char *variant_name(Variant v);
bool variant_from_name(const char *s, Variant *v);
Verdict lab_expected(const CaseSpec *spec, Variant v, ToolId tool);
void lab_run(const LabJob *job, LabResult *res);
void lab_result_free(LabResult *res);
/* The job run `repeat` times: the first result printed, and each one not
 * as expected; with more than one, a line counting the verdicts. True
 * when every verdict was the expected one. */
bool lab_run_repeat(const LabJob *job, long repeat, bool verbose, FILE *out);
/* The verdict line and the normalised findings (with stacks if verbose). */
void lab_print(FILE *out, const LabJob *job, const LabResult *res, bool verbose);

/* cases/NAME.c and fixed/NAME.c under root */
char *lab_case_path(const char *root, const char *name, Variant v);

#endif
