/* The sandbox graded code is built and run in: bubblewrap (no network, a
 * read-only system, only the directories a step needs), rlimits set by
 * prlimit, and, where the host lets us, cgroups that bound the number of
 * processes, the memory and the CPU share of the whole sandbox. A Sandbox
 * produces argv prefixes for BuildSpec.wrapper and RunOptions.wrapper. */
#ifndef RACELAB_SANDBOX_H
#define RACELAB_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "cgroup.h"

typedef struct {
    bool enabled; /* false: --no-sandbox, every argv is NULL */
    CgroupSet cg; /* the groups we created (engine/cgroup.h) */
    char *limits; /* what bounds this sandbox, one line, for humans */
    char *exe;    /* bwrap's real path (RunOptions.wrapper_exe); NULL when disabled */
} Sandbox;

typedef struct {
    const char *path; /* bound at the same path inside */
    bool writable;
} SandboxMount;

typedef struct {
    const SandboxMount *mounts;
    size_t nmounts;
    const char *chdir;  /* NULL: keep the caller's cwd (a run dir racelab made) */
    bool clearenv;      /* false: the caller's envp is already the whole environment */
    const char *home;   /* with clearenv */
    long cpu_seconds;   /* RLIMIT_CPU, per process */
    long long fsize;    /* RLIMIT_FSIZE */
    long long as_limit; /* RLIMIT_AS; 0: none (it breaks TSan: only for compilers) */
} SandboxStep;

/* Can bwrap create its namespaces here? false with *why (malloc'd). */
bool sandbox_probe(char **why);

/* Creates the cgroups (best effort: each one the host refuses is left out
 * and the reason goes into limits). */
void sandbox_init(Sandbox *sb, bool enabled);

/* NULL-terminated argv prefix for one step (free with strv_free), or NULL
 * when disabled. */
char **sandbox_argv(const Sandbox *sb, const SandboxStep *step);

/* SIGKILLs every process still in the sandbox's cgroups. */
void sandbox_kill_all(const Sandbox *sb);

/* Kills what is left, removes the cgroups. */
void sandbox_free(Sandbox *sb);

#endif
