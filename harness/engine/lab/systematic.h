/* explore, systematic: every schedule within a preemption bound, by
 * re-running the program (stateless model checking, as CHESS does).
 * Each run follows a schedule given as its deviations from the runtime's
 * default policy (run the current thread on) and writes its choice
 * points; a depth-first search over them runs, for bound 0, 1, ... K in
 * turn, every schedule with at most that many preemptions, and stops at
 * the first that shows a finding: its preemptions are then the fewest
 * any schedule needs to show one.
 *
 * What a verdict proves, and no more: "verified" is every schedule with
 * at most K preemptions at these inputs (or every schedule, when no
 * alternative was ever cut by the bound), under sequential consistency
 * for C11 atomics; a search the budget ends first is "not complete"; a
 * run that leaves the schedule (a thread released, a choice point that
 * differs from the same prefix's last time: time, randomness, input) is
 * never part of a verified verdict. No partial-order reduction yet: two
 * schedules that differ only in the order of independent steps both run. */
#ifndef RACELAB_SYSTEMATIC_H
#define RACELAB_SYSTEMATIC_H

#include <stdbool.h>

#include "explore.h"

#define SYSTEMATIC_DEFAULT_BOUND 2
#define SYSTEMATIC_DEFAULT_RUNS 5000

typedef struct {
    int max_bound; /* preemptions: bounds 0..max_bound are searched */
    int max_runs;  /* schedules at most, all bounds together */
    double budget; /* seconds; 0: none */
    ExploreOracle oracle;
    void *oracle_ctx;
    const char *replay; /* the command that replays a schedule, with %s for it */
} SystematicSpec;

typedef enum {
    SYS_FOUND,       /* a schedule shows a finding */
    SYS_VERIFIED,    /* every schedule within `bound` runs clean */
    SYS_EXHAUSTIVE,  /* every schedule runs clean (the bound cut nothing) */
    SYS_INCOMPLETE,  /* the budget ended first */
    SYS_UNDECIDED,   /* a run could not be judged, or left the schedule */
} SystematicVerdict;

typedef struct {
    SystematicVerdict verdict;
    int runs;         /* schedules run, all bounds */
    int bound;        /* the bound of the verdict (found: the fewest preemptions) */
    int runs_at_bound;
    char *schedule;   /* found: the failing schedule's string */
    size_t steps;     /* found: its choice points */
    size_t max_choices; /* the most choice points of a run */
    char *why;        /* undecided: why */
    RunOutcome run;   /* the failing or undecided run, else the last */
    double seconds;
} SystematicResult;

void systematic_search(const char *exe, const StrVec *args, const RunOptions *opt, const SystematicSpec *sp,
                       const SourceSet *ss, SystematicResult *res);
/* A schedule string as the search writes them: K:T,K:T... with K rising. */
bool systematic_schedule_valid(const char *s);
/* One schedule, replayed (and judged with the oracle): a run that did not
 * follow it (rejected, a thread named that could not run, a choice point
 * it never reached) fails with why, never reads as clean. */
void systematic_replay(const char *exe, const StrVec *args, const RunOptions *opt, const char *schedule,
                       const SourceSet *ss, ExploreOracle oracle, void *ctx, RunOutcome *o);
/* "verified: every schedule with <= 2 preemptions (431 run)", ... */
char *systematic_verdict_text(const SystematicResult *res, bool atomics);
void systematic_result_free(SystematicResult *res);

#endif
