/* Bounds on a whole tree of processes through cgroups: a number of
 * processes+threads (pids), a memory limit, a CPU group of its own. The
 * v1 controllers where the host mounts them, else the v2 hierarchy where
 * this process's cgroup delegates them. Made by racelab for one step (a
 * grade's sandbox, one run of `racelab check`), joined by the step's first
 * process, killed and removed after it. Shared by check and grade. Best
 * effort: a controller the host refuses is left out, and the flags say
 * what holds. */
#ifndef RACELAB_CGROUP_H
#define RACELAB_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "strvec.h"

#define CGROUP_MAX 3

typedef struct {
    long long pids_max;   /* processes+threads; 0: no pids group */
    long long memory_max; /* bytes; 0: no memory group */
    bool cpu;             /* a v1 cpu group of its own (a fair share) */
} CgroupLimits;

typedef struct {
    char *dirs[CGROUP_MAX]; /* directories we created */
    size_t n;
    const char *pids_dir, *memory_dir; /* among dirs, or NULL */
    bool pids, pids_v2;                /* the pids limit holds (v1, or v2) */
    bool memory, memory_v2;            /* the memory limit holds */
    bool cpu;                          /* a v1 cpu group */
    CgroupLimits limits;
} CgroupSet;

/* Creates the groups the limits ask for, each it can. */
void cgroup_create(CgroupSet *cg, const CgroupLimits *lim);

/* Puts pid (0: the caller) into every group; false if one refused. */
bool cgroup_join(const CgroupSet *cg, pid_t pid);

/* An argv prefix that puts the command it runs into the groups, and not
 * racelab: `/bin/sh -c ... racelab-sandbox GROUP/cgroup.procs... --`. */
void cgroup_join_argv(const CgroupSet *cg, StrVec *a);

/* SIGKILLs every process in the groups. */
void cgroup_kill_all(const CgroupSet *cg);

/* Which limit stopped something since the groups were made: "pids" (a
 * fork or clone refused), "memory" (the OOM killer killed), or NULL. */
const char *cgroup_limit_hit(const CgroupSet *cg);

/* Whether the memory use ever met the limit (the kernel reclaimed, or
 * refused): with a process killed, the likely reason. */
bool cgroup_memory_full(const CgroupSet *cg);

/* Kills what is left and removes the groups (waiting for the killed to
 * go); warns about a group that cannot be removed. */
void cgroup_destroy(CgroupSet *cg);

/* "2 GiB", "128 MiB", "1000 bytes": a byte count for humans. */
char *cgroup_bytes_text(long long bytes);

/* Parses "4G", "128M", "512K", "1000" (bytes); false if malformed. */
bool cgroup_parse_bytes(const char *s, long long *out);

#endif
