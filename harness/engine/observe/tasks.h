/* Watching a running program from outside its address space, in /proc
 * (procfs.h): every process of a process tree (a sandbox's helpers, the
 * program, anything it started) and every thread of each, with the CPU
 * time each thread used; and how long a run's threads waited for a CPU.
 * What a program does with its threads is measured here, not read from
 * anything the program could write. */
#ifndef RACELAB_TASKS_H
#define RACELAB_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cgroup.h"

typedef struct {
    int pid, tid;
    int ppid;           /* the process it was seen under (0: the root) */
    bool is_target;     /* the process runs the watched executable */
    char comm[17];      /* the process's name, as last seen */
    unsigned first, last; /* the samples in which it was seen */
    unsigned long long cpu_ns; /* the most CPU time seen for it */
} TaskSeen;

typedef struct {
    TaskSeen *t;
    size_t n, cap;
    unsigned samples;
    unsigned long long target_dev, target_ino; /* the watched executable */
} TaskWatch;

/* A watch for the program exe (run under the root process, perhaps
 * through wrappers: a shell, prlimit, bwrap). */
void tasks_watch_init(TaskWatch *w, const char *exe);
/* One sample of the tree under root (a ProcSpec tick). */
void tasks_sample(int root, void *watch);
/* What the samples say of the program: the first process seen running
 * the executable. Its processes: every process seen in the tree but the
 * wrappers it was started through (its ancestors), so a fork, an exec of
 * anything or a detached grandchild each count. Its threads: CPU time
 * each used, when each was alive. A thread shorter than a sample may be
 * missed: threads_ns is what was seen, not all there was. */
typedef struct {
    int program;                  /* its pid; 0: never seen */
    size_t processes;             /* 1: itself alone */
    unsigned long long main_ns;   /* its main thread's CPU */
    unsigned long long wrap_ns;   /* the wrappers' CPU */
    unsigned long long threads_ns; /* the other threads' CPU, as seen */
    int threads;                  /* threads other than main seen */
    int long_lived;               /* of them, seen in at least 4 samples */
    int at_once;                  /* the most of them alive in one sample */
} TaskSummary;

void tasks_summarize(const TaskWatch *w, TaskSummary *s);
void tasks_free(TaskWatch *w);

/* How long a run's threads waited for a CPU: the second field of each
 * thread's /proc/PID/task/TID/schedstat (time on a run queue, runnable but
 * not running), summed over every thread seen, the ones that ended too.
 * On a loaded machine a run gets less CPU than its wall-clock limit
 * assumes; proc.c extends the limit by this time (up to 4x), so that a
 * time limit counts the time the run could use. */
typedef struct {
    struct CpuWaitThread {
        pid_t tid;
        unsigned long long wait_ns;
    } *threads;
    size_t n, cap;
} CpuWait;

/* Reads every thread of `leader`, and of every process in the run's
 * cgroups (cg may be NULL). */
void cpuwait_sample(CpuWait *w, pid_t leader, const CgroupSet *cg);
/* Seconds waited for a CPU, all threads seen so far. */
double cpuwait_seconds(const CpuWait *w);
void cpuwait_free(CpuWait *w);

#endif
