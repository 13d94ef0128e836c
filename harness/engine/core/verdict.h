/* The verdicts of the lab: what a run means, given what was expected of
 * it. Every verdict comes from a parsed report or a measured run, never
 * from an exit code alone. */
#ifndef RACELAB_VERDICT_H
#define RACELAB_VERDICT_H

#include <stdbool.h>

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
bool verdict_from_name(const char *s, Verdict *v);

#endif
