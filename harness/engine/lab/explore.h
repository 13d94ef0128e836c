/* explore: a program run natively under the schedule controller
 * (libracelab-explore.so), one run per seed, each seed one schedule: the
 * loop over seeds that stops at the first schedule that shows a bug, or,
 * for a program that must be right, runs them all. Each run is run_tool's
 * (TOOL_EXPLORE: run_explore.c starts the runtime and reads its report). */
#ifndef RACELAB_EXPLORE_H
#define RACELAB_EXPLORE_H

#include <stdbool.h>

#include "run.h"

#define EXPLORE_DEFAULT_SEEDS 100

/* A run's answer: true if right, else false with *why (malloc'd). */
typedef bool (*ExploreOracle)(RunOutcome *o, void *ctx, char **why);

typedef struct {
    unsigned long long first_seed;
    int seeds;            /* schedules at most */
    bool all;             /* every seed (a fixed program must pass them all); else stop at a finding */
    double budget;        /* seconds for all of them; 0: none */
    ExploreOracle oracle; /* NULL: only the runtime's findings, crashes and exit status */
    void *oracle_ctx;
    const char *replay; /* the command that replays a seed, with %llu for it */
    /* called after each schedule (measurements): its run, and whether it
     * showed a finding (a wrong answer included) */
    void (*each)(const RunOutcome *o, bool failing, void *ctx);
    void *each_ctx;
} ExploreLoop;

typedef struct {
    int runs;        /* schedules run */
    int failing;     /* of them, with a finding */
    bool undecided;  /* a run could not be judged: run says why */
    bool budget_hit; /* stopped by the time budget */
    RunOutcome run;  /* the first failing (or undecided) schedule's run, else the last one */
    double seconds;
} ExploreResult;

/* A finished run's answer, when it exited 0 and an oracle is given: a
 * wrong one is a finding (wrong-answer). */
void explore_check_answer(RunOutcome *o, ExploreOracle oracle, void *ctx);
/* The schedule's trace, read from the run's report, on the run and on
 * each of its findings (for a schedule that is shown). */
void explore_attach_trace(RunOutcome *o, const char *exe);

void explore_loop(const char *exe, const StrVec *args, const RunOptions *opt, const ExploreLoop *l, const SourceSet *ss,
                  ExploreResult *res);
void explore_result_free(ExploreResult *res);

#endif
