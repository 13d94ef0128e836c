/* Judging: a run's findings against a case's expectations, and a
 * program's output against the case's oracle. */
#ifndef RACELAB_JUDGE_H
#define RACELAB_JUDGE_H

#include <stdbool.h>

#include "finding.h"
#include "run.h"
#include "spec.h"
#include "verdict.h"

/* For each finding, the index of the expectation it matches, or -1; for
 * each expectation whether some finding matched it. */
void match_findings(const Report *r, const ToolExpect *te, const SourceSet *ss, int *finding_match, bool *expect_seen);

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
