/* Is a run stuck for good? Read from outside, in /proc: every thread of
 * the program waits in futex(2) with no time limit (a lock, a condition
 * variable, a semaphore, a join), no CPU is used, and nothing is left that
 * could wake it: no child process, no timer or I/O signal it catches.
 * Such a program can only be woken from outside, so proc.c may call it a
 * deadlock before its time limit instead of waiting for the limit.
 * Anything this cannot read or is not sure of reads as "not stuck": the
 * run then goes on to its limit, as before. */
#ifndef RACELAB_STUCK_H
#define RACELAB_STUCK_H

#include <stdbool.h>
#include <sys/types.h>

/* How long the state must hold before it counts. */
#define STUCK_WINDOW 0.6

typedef struct {
    double since;         /* when the stuck state was first seen; < 0: not now */
    long long ticks;      /* CPU ticks at that time */
    int threads;          /* threads seen, all blocked, at the last sample */
    pid_t pid;            /* the process those were of */
    /* TSan's runtime has a thread of its own that naps 100 ms at a time
     * for ever: one thread asleep in nanosleep called from the program's
     * own executable (where TSan's runtime is linked), not from a library
     * (where a program's own sleep goes), is not waited for. */
    bool runtime_sleeper;
    /* Valgrind catches every signal itself and runs the guest's handlers:
     * the caught-signal mask says nothing, and is not read (the caller
     * knows the program installs no handler: run.c). */
    bool signals_unseen;
} StuckWatch;

#define STUCK_WATCH_INIT {.since = -1, .ticks = -1}

/* The program a run's wrappers lead to: from `pid`, while the process runs
 * the program `through` (a sandbox's bwrap, as /proc/PID/exe names it),
 * its only child. 0 when a wrapper has no child or more than one (the
 * program forked, or the namespace's init adopted an orphan): the run is
 * then not looked at. `through` NULL: `pid` itself. */
pid_t stuck_below(pid_t pid, const char *through);

/* One look at `pid`, at time `now`: true once it has been stuck, with
 * the same CPU ticks, for STUCK_WINDOW seconds. */
bool stuck_sample(StuckWatch *w, pid_t pid, double now);

/* CPU ticks (utime + stime) `pid` has used, or -1. */
long long stuck_cpu_ticks(pid_t pid);
/* Every thread of `pid`: how many, how many run, how many wait on a futex
 * (timed or not). */
void stuck_thread_states(pid_t pid, int *total, int *running, int *futex);

#endif
