#include "stuck.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "procfs.h"

/* futex(2) operations that sleep until woken (or until their timeout),
 * after the private and clock flags are masked off. */
#define FUTEX_CMD_MASK 0x7f
enum { OP_WAIT = 0, OP_LOCK_PI = 6, OP_WAIT_BITSET = 9, OP_WAIT_REQUEUE_PI = 11, OP_LOCK_PI2 = 13 };

long long stuck_cpu_ticks(pid_t pid)
{
    char buf[1024];
    if (!procfs_read(pid, "stat", buf, sizeof buf))
        return -1;
    const char *p = procfs_stat_fields(buf);
    unsigned long long ut = 0, st = 0;
    if (!p || sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (long long)(ut + st);
}

void stuck_thread_states(pid_t pid, int *total, int *running, int *futex)
{
    *total = *running = *futex = 0;
    PidList tids = {0};
    procfs_threads(pid, &tids);
    for (size_t i = 0; i < tids.n; i++) {
        char buf[512];
        (*total)++;
        if (procfs_thread_read(pid, tids.v[i], "stat", buf, sizeof buf) && procfs_stat_state(buf) == 'R')
            (*running)++;
        if (procfs_thread_read(pid, tids.v[i], "wchan", buf, sizeof buf) && strstr(buf, "futex"))
            (*futex)++;
    }
    pidlist_free(&tids);
}

/* The system call a thread sleeps in (state S), from its stat and
 * syscall files ("NR arg1 ... arg6 sp pc"; "running" or nothing when it
 * is not in a system call, or we may not read it): false otherwise. */
typedef struct {
    long nr;
    uint64_t a[6], sp, pc;
} Syscall;

static bool asleep_in(pid_t pid, pid_t tid, Syscall *sc)
{
    char buf[512];
    if (!procfs_thread_read(pid, tid, "stat", buf, sizeof buf) || procfs_stat_state(buf) != 'S')
        return false;
    if (!procfs_thread_read(pid, tid, "syscall", buf, sizeof buf))
        return false;
    return sscanf(buf, "%ld %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64
                       " %" SCNx64,
                  &sc->nr, &sc->a[0], &sc->a[1], &sc->a[2], &sc->a[3], &sc->a[4], &sc->a[5], &sc->sp, &sc->pc) == 9;
}

/* One thread, from its stat, syscall and children files: asleep in a
 * futex wait with no timeout, and no child process of its own. */
static bool thread_blocked_for_good(pid_t pid, pid_t tid)
{
    Syscall sc;
    if (!asleep_in(pid, tid, &sc) || sc.nr != SYS_futex)
        return false;
    const uint64_t *a = sc.a;
    unsigned op = (unsigned)a[1] & FUTEX_CMD_MASK;
    bool sleeps = op == OP_WAIT || op == OP_WAIT_BITSET || op == OP_LOCK_PI || op == OP_LOCK_PI2 ||
                  op == OP_WAIT_REQUEUE_PI;
    if (!sleeps || a[3] != 0) /* a[3]: the timeout; a timed wait ends by itself */
        return false;
    /* a child process could wake it (a process-shared lock) */
    char children[2];
    return procfs_thread_read(pid, tid, "children", children, sizeof children) && !children[0];
}

/* Signals only a running thread can cause (a fault, a write to a closed
 * pipe, an rlimit reached), and glibc's own two (32 and 33: cancellation
 * and setxid): a handler for one of them (a sanitizer's, a crash
 * reporter's) wakes nobody. */
#define BIT(sig) (1ull << ((sig)-1))
static const unsigned long long own_signals = BIT(SIGILL) | BIT(SIGTRAP) | BIT(SIGABRT) | BIT(SIGBUS) |
                                              BIT(SIGFPE) | BIT(SIGSEGV) | BIT(SIGPIPE) | BIT(SIGXCPU) |
                                              BIT(SIGXFSZ) | BIT(SIGSYS) | BIT(32) | BIT(33);

/* Nothing the process set up can wake it: no signal pending, none caught
 * but those above, no POSIX timer. A program that catches another signal
 * may be waiting for one. */
static bool nothing_can_wake(pid_t pid, bool signals_unseen)
{
    char buf[4096];
    if (!procfs_read(pid, "status", buf, sizeof buf))
        return false;
    static const char *const fields[] = {"\nSigPnd:", "\nShdPnd:", "\nSigCgt:"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *f = strstr(buf, fields[i]);
        unsigned long long mask = 0;
        if (!f || sscanf(f + strlen(fields[i]), "%llx", &mask) != 1)
            return false;
        if (i == 2)
            mask &= signals_unseen ? 0 : ~own_signals;
        if (mask)
            return false;
    }
    char timers[2];
    return !procfs_read(pid, "timers", timers, sizeof timers) || !timers[0];
}

/* Another process could wake it through memory they share (a process-
 * shared semaphore, sem_open, a file mapped MAP_SHARED: the other process
 * need not be its child), or the kernel could through an io_uring it set
 * up (a timed request ends a futex wait). Read-only system files mapped
 * shared (glibc's gconv cache) wake nobody. */
static bool shares_a_waker(pid_t pid)
{
    char line[1024];
    FILE *f = procfs_open(pid, "maps");
    if (!f)
        return true;
    bool shared = false;
    while (!shared && fgets(line, sizeof line, f)) {
        char perms[8] = "";
        int path_at = 0;
        if (sscanf(line, "%*s %7s %*s %*s %*s %n", perms, &path_at) != 1)
            continue;
        const char *path = path_at > 0 ? line + path_at : "";
        shared = perms[3] == 's' && (perms[1] == 'w' || strncmp(path, "/usr/", 5) != 0);
    }
    fclose(f);
    if (shared)
        return true;
    PidList fds = {0};
    if (!procfs_fds(pid, &fds))
        return true;
    for (size_t i = 0; !shared && i < fds.n; i++) {
        char target[128];
        shared = procfs_fd_target(pid, (int)fds.v[i], target, sizeof target) && strstr(target, "io_uring");
    }
    pidlist_free(&fds);
    return shared;
}

/* Is `pc` in an executable mapping of the program's own file (not a
 * library, not anonymous memory)? */
static bool in_own_code(pid_t pid, uint64_t pc)
{
    char exe[4096], line[4600];
    if (!procfs_exe(pid, exe, sizeof exe))
        return false;
    FILE *f = procfs_open(pid, "maps");
    if (!f)
        return false;
    bool in = false;
    while (!in && fgets(line, sizeof line, f)) {
        uint64_t lo, hi;
        char perms[8] = "";
        int path_at = 0;
        if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %*s %*s %*s %n", &lo, &hi, perms, &path_at) != 3 || !path_at)
            continue;
        char *path = line + path_at;
        path[strcspn(path, "\n")] = '\0';
        in = perms[2] == 'x' && lo <= pc && pc < hi && strcmp(path, exe) == 0;
    }
    fclose(f);
    return in;
}

/* A thread asleep in nanosleep (or clock_nanosleep) called from the
 * program's own code: TSan's background thread. */
static bool runtime_napping(pid_t pid, pid_t tid)
{
    Syscall sc;
    return asleep_in(pid, tid, &sc) && (sc.nr == SYS_nanosleep || sc.nr == SYS_clock_nanosleep) &&
           in_own_code(pid, sc.pc);
}

/* Every thread blocked for good (but one runtime sleeper, if allowed):
 * the count of blocked threads, or 0. */
static int all_blocked(pid_t pid, bool runtime_sleeper)
{
    PidList tids = {0};
    if (!procfs_threads(pid, &tids))
        return 0;
    int n = 0;
    bool all = true, slept = false;
    for (size_t i = 0; all && i < tids.n; i++) {
        if (thread_blocked_for_good(pid, tids.v[i]))
            n++;
        else if (runtime_sleeper && !slept && runtime_napping(pid, tids.v[i]))
            slept = true;
        else
            all = false;
    }
    pidlist_free(&tids);
    return all ? n : 0;
}

/* The one child of every thread of `pid`, or 0 (none, or several). */
static pid_t only_child(pid_t pid)
{
    PidList tids = {0}, kids = {0};
    procfs_threads(pid, &tids);
    for (size_t i = 0; i < tids.n && kids.n < 2; i++)
        procfs_children(pid, tids.v[i], &kids);
    pid_t only = kids.n == 1 ? kids.v[0] : 0;
    pidlist_free(&tids);
    pidlist_free(&kids);
    return only;
}

static bool runs_program(pid_t pid, const char *exe)
{
    char target[4096];
    return procfs_exe(pid, target, sizeof target) && strcmp(target, exe) == 0;
}

pid_t stuck_below(pid_t pid, const char *through)
{
    /* bwrap, then bwrap as the pid namespace's init, then the program */
    for (int depth = 0; through && depth < 4 && pid > 0 && runs_program(pid, through); depth++)
        pid = only_child(pid);
    return pid;
}

bool stuck_sample(StuckWatch *w, pid_t pid, double now)
{
    if (pid != w->pid) { /* a new process (an exec'd wrapper's child): start over */
        w->pid = pid;
        w->since = -1;
    }
    int n = pid > 0 ? all_blocked(pid, w->runtime_sleeper) : 0;
    long long ticks = n ? stuck_cpu_ticks(pid) : -1;
    if (!n || ticks < 0 || !nothing_can_wake(pid, w->signals_unseen) || shares_a_waker(pid)) {
        w->since = -1;
        return false;
    }
    if (w->since < 0 || ticks != w->ticks) {
        w->since = now;
        w->ticks = ticks;
    }
    w->threads = n;
    return now - w->since >= STUCK_WINDOW;
}
