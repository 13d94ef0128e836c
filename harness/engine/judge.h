/* Verdicts: what a run means, given what was expected of it. Every verdict
 * comes from a parsed report or a measured run, never from an exit code. */
#ifndef RACELAB_JUDGE_H
#define RACELAB_JUDGE_H

#include <stdbool.h>

#include "finding.h"
#include "run.h"
#include "spec.h"

typedef enum {
    V_CLEAN,        /* no finding (and, where checked, the right answer) */
    V_DETECTED,     /* every expected finding, at its place, and nothing else */
    V_MISSED,       /* an expected finding did not come */
    V_UNEXPECTED,   /* a finding the case does not name */
    V_WRONG_ANSWER, /* the output failed the oracle */
    V_MEASURED,     /* native runs of a buggy program: the bug's rate */
    V_ERROR,        /* could not decide: build, crash, tool failure, bad report */
    V_TIMEOUT,
    V_DEADLOCK,
    V_COUNT
} Verdict;

const char *verdict_name(Verdict v);

/* For each finding, the index of the expectation it matches, or -1; for
 * each expectation whether some finding matched it. */
void match_findings(const Report *r, const ToolExpect *te, const SourceSet *ss, int *finding_match,
                    bool *expect_seen);

/* Verdict of a detector run against te (NULL: nothing is expected). */
Verdict judge_findings(const RunOutcome *o, const ToolExpect *te, const SourceSet *ss);

/* Verdict for a run that could not be judged on its findings. */
Verdict verdict_of_status(RunStatus s);

/* Checks each `output:` line of the spec, evaluated over ps, appears as a
 * line of out. On failure *why says which line is missing and what came. */
bool oracle_check(const CaseSpec *spec, const Params *ps, const char *out, char **why);

/* "expected @incr (line 59)" style text for an expectation. */
char *expect_describe(const Expect *e);

#endif
