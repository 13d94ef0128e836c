/* How long a run's threads waited for a CPU: the second field of each
 * thread's /proc/PID/task/TID/schedstat (time on a run queue, runnable but
 * not running), summed over every thread seen, the ones that ended too.
 * On a loaded machine a run gets less CPU than its wall-clock limit
 * assumes; proc.c extends the limit by this time (up to 4x), so that a
 * time limit counts the time the run could use. */
#ifndef RACELAB_CPUWAIT_H
#define RACELAB_CPUWAIT_H

#include <stddef.h>
#include <sys/types.h>

#include "cgroup.h"

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
