/* Runs one program with a hard wall-clock limit, in its own process group,
 * with its output captured and capped. Nothing it starts outlives the call. */
#ifndef RACELAB_PROC_H
#define RACELAB_PROC_H

#include <stdbool.h>
#include <stddef.h>

#include "cgroup.h"

typedef struct {
    char *const *argv;
    char *const *envp;     /* the whole environment; NULL: empty */
    const char *cwd;       /* NULL: inherit */
    double timeout;        /* seconds of wall-clock time, extended by the time the run's threads
                              waited for a CPU (tasks.h: CpuWait), up to 4 times as long */
    size_t keep;           /* bytes kept of stdout and of stderr each */
    size_t flood;          /* total output bytes that count as a flood */
    long long fsize_limit; /* RLIMIT_FSIZE for the child; 0: none */
    bool dump_stacks;      /* on a hang: every thread's stack, via gdb */
    bool watch_stuck;      /* a run stuck for good (stuck.h) is a deadlock before its limit */
    const char *stuck_through; /* the wrapper's program (stuck_below): watched is the process below it */
    bool stuck_runtime_sleeper; /* TSan: its runtime's napping thread is not waited for (stuck.h) */
    bool stuck_signals_unseen;  /* Valgrind: the process catches every signal itself (stuck.h) */
    /* Called every couple of milliseconds while the child runs, with its
     * pid: a watcher that measures it from outside (tasks.h). */
    void (*tick)(int child, void *ctx);
    void *tick_ctx;
    const CgroupSet *cgroups; /* joined by the program before it starts; NULL: none.
                                 A limit reached (cgroup_limit_hit) ends the run. */
} ProcSpec;

typedef enum {
    PROC_EXITED,
    PROC_SIGNALED,
    PROC_TIMEOUT,  /* still running at the limit */
    PROC_DEADLOCK, /* at the limit, every thread blocked, no CPU used */
    PROC_FLOOD,    /* wrote more than spec.flood bytes */
    PROC_SPAWN_FAILED,
    PROC_LIMIT, /* reached a limit of spec.cgroups: stopped */
} ProcStatus;

typedef struct {
    ProcStatus status;
    int code; /* exit code (PROC_EXITED) */
    int sig;  /* signal (PROC_SIGNALED) */
    double wall;
    double cpu; /* seconds of CPU of the process and every descendant it reaped (-1: not known) */
    char *out, *err; /* NUL-terminated, at most spec.keep bytes */
    size_t outlen, errlen;
    bool out_cut, err_cut;
    char *why;    /* spawn failure or hang description */
    char *stacks; /* gdb's "thread apply all bt", for hangs */
    const char *limit; /* PROC_LIMIT, or a limit reached anyway: "pids", "memory" */
    double cpu_wait;   /* seconds the run's threads waited for a CPU (what extended its limit) */
} ProcResult;

void proc_run(const ProcSpec *spec, ProcResult *res);
void proc_result_free(ProcResult *res);
const char *proc_status_name(ProcStatus s);

#endif
