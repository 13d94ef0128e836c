#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "tasks.h"
#include "measure.h"
#include "procfs.h"
#include "stop.h"
#include "stuck.h"
#include "strbuf.h"
#include "strvec.h"
#include "toolpaths.h"

const char *proc_status_name(ProcStatus s)
{
    static const char *const n[] = {"exited", "signaled", "timeout", "deadlock", "flood", "spawn-failed", "limit"};
    return (unsigned)s < ARRAY_LEN(n) ? n[s] : "?";
}

void proc_result_free(ProcResult *r)
{
    free(r->out);
    free(r->err);
    free(r->why);
    free(r->stacks);
    memset(r, 0, sizeof *r);
}

static _Noreturn void child_exec(const ProcSpec *s, int out_w, int err_w, int status_w, pid_t parent)
{
    setpgid(0, 0);
    /* The harness may ignore or block signals (racelab blocks its stop
     * signals around the fork); the program gets defaults, then the mask. */
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* The run dies with racelab, even of a SIGKILL (stop.h's guard gets
     * what left the run's group). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    if (s->cgroups)
        cgroup_join(s->cgroups, 0); /* best effort: the caller said what holds */
    int in = open("/dev/null", O_RDONLY);
    if (in < 0 || dup2(in, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
        goto fail;
    if (s->cwd && chdir(s->cwd) != 0)
        goto fail;
    struct rlimit core = {0, 0};
    setrlimit(RLIMIT_CORE, &core);
    if (s->fsize_limit > 0) {
        struct rlimit fs = {(rlim_t)s->fsize_limit, (rlim_t)s->fsize_limit};
        setrlimit(RLIMIT_FSIZE, &fs);
    }
    /* Only 0, 1, 2 and the status pipe (close-on-exec) cross into the
     * program: every other descriptor, however high, is closed. */
    if (status_w > 3)
        close_range(3, (unsigned)status_w - 1, 0);
    close_range((unsigned)status_w + 1, ~0u, 0);
    static char *const empty[] = {NULL};
    execve(s->argv[0], s->argv, s->envp ? s->envp : empty);
fail:;
    int e = errno;
    ssize_t w = write(status_w, &e, sizeof e);
    (void)w;
    _exit(127);
}

typedef struct {
    int fd;
    StrBuf kept;
    size_t total;
    bool cut;
} Sink;

static void drain(Sink *k, size_t keep)
{
    char buf[65536];
    ssize_t n = read(k->fd, buf, sizeof buf);
    if (n <= 0) {
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            close(k->fd);
            k->fd = -1;
        }
        return;
    }
    k->total += (size_t)n;
    if (k->kept.len < keep) {
        size_t room = keep - k->kept.len;
        sb_addn(&k->kept, buf, (size_t)n < room ? (size_t)n : room);
    }
    if (k->total > keep)
        k->cut = true;
}

static char *gdb_stacks(pid_t pid)
{
    if (access(tool_paths.gdb, X_OK) != 0)
        return xstrdup("(no stacks: gdb is not installed; apt-get install gdb)\n");
    StrVec argv = STRVEC_INIT;
    strvec_push(&argv, tool_paths.gdb);
    strvec_push(&argv, "-nx");
    strvec_push(&argv, "-q");
    strvec_push(&argv, "-batch");
    strvec_push(&argv, "-p");
    strvec_pushf(&argv, "%d", (int)pid);
    strvec_push(&argv, "-ex");
    strvec_push(&argv, "set pagination off");
    strvec_push(&argv, "-ex");
    strvec_push(&argv, "thread apply all bt");
    char *env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
    ProcSpec s = {.argv = argv.v, .envp = env, .timeout = 20, .keep = 256 * 1024, .flood = 1 << 24};
    ProcResult r;
    proc_run(&s, &r);
    strvec_clear(&argv);
    char *out = r.out && r.outlen ? xstrdup(r.out) : xasprintf("(gdb printed nothing: %s)\n", r.err ? r.err : "");
    proc_result_free(&r);
    return out;
}

/* Leaders of the runs in progress in this process: a nested run (gdb
 * looking at a hung program) must not sweep up its caller's program. */
static pid_t *active;
static size_t nactive, active_cap;

static bool is_active(pid_t pid)
{
    for (size_t i = 0; i < nactive; i++)
        if (active[i] == pid)
            return true;
    return false;
}

/* Kills what is left of the group, and any process that left the group
 * but was re-parented to us (we are a child subreaper), and reaps those:
 * an orphan killed but not waited for would stay behind as a zombie. */
static void kill_everything(pid_t pgid)
{
    kill(-pgid, SIGKILL);
    PidList all = {0};
    procfs_processes(&all);
    pid_t self = getpid();
    for (size_t i = 0; i < all.n; i++) {
        pid_t pid = all.v[i];
        char buf[512];
        const char *fields = procfs_read(pid, "stat", buf, sizeof buf) ? procfs_stat_fields(buf) : NULL;
        int ppid = 0;
        if (pid > 0 && fields && sscanf(fields, "%*c %d", &ppid) == 1 && ppid == self && !is_active(pid) &&
            !stop_spares(pid)) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
        }
    }
    pidlist_free(&all);
}

/* " (a 1.0 s limit, extended by 0.4 s its threads waited for a CPU)",
 * or "" when nothing waited; a static buffer. */
static const char *extension_note(double timeout, double waited)
{
    static char buf[160];
    if (waited < 0.05)
        return "";
    snprintf(buf, sizeof buf, ": a %.1f s limit, extended by the %.1f s its threads waited for a CPU%s", timeout,
             waited, waited >= 3 * timeout ? " (at most 4x)" : "");
    return buf;
}

static double rusage_seconds(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 + (double)ru->ru_stime.tv_sec +
           (double)ru->ru_stime.tv_usec / 1e6;
}

/* One run in progress: its child, its two output pipes, what watches it. */
typedef struct {
    const ProcSpec *s;
    ProcResult *r;
    pid_t pid;
    double start, deadline, exited_at, next_stuck_look;
    int wstatus;
    bool exited;
    Sink sinks[2];
    CpuWait cw;
    StuckWatch sw;
} Run;

/* Starts the child with its output on two pipes; false, with r saying
 * why, if it could not be started or could not exec. */
static bool spawn(Run *x)
{
    const ProcSpec *s = x->s;
    ProcResult *r = x->r;
    int out[2], err[2], st[2];
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(st, O_CLOEXEC)) {
        r->status = PROC_SPAWN_FAILED;
        r->why = xasprintf("pipe: %s", strerror(errno));
        return false;
    }
    x->start = now_seconds();
    sigset_t old;
    sigprocmask(SIG_BLOCK, stop_signals(), &old); /* the group is recorded before a stop can look */
    pid_t self = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        r->status = PROC_SPAWN_FAILED;
        r->why = xasprintf("fork: %s", strerror(errno));
        return false;
    }
    if (pid == 0)
        child_exec(s, out[1], err[1], st[1], self);
    setpgid(pid, pid); /* also done by the child: whichever runs first */
    stop_watch_group(pid);
    sigprocmask(SIG_SETMASK, &old, NULL);
    PUSH(active, nactive, active_cap, pid);
    close(out[1]);
    close(err[1]);
    close(st[1]);
    int exec_errno = 0;
    if (read(st[0], &exec_errno, sizeof exec_errno) == (ssize_t)sizeof exec_errno) {
        waitpid(pid, NULL, 0);
        nactive--;
        stop_unwatch_group(pid);
        close(st[0]);
        close(out[0]);
        close(err[0]);
        r->status = PROC_SPAWN_FAILED;
        r->why = xasprintf("cannot run %s: %s", s->argv[0], strerror(exec_errno));
        return false;
    }
    close(st[0]);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    x->pid = pid;
    x->sinks[0] = (Sink){.fd = out[0], .kept = STRBUF_INIT};
    x->sinks[1] = (Sink){.fd = err[0], .kept = STRBUF_INIT};
    x->deadline = x->start + s->timeout;
    x->next_stuck_look = x->start + 0.2;
    return true;
}

/* Ends the run now: everything in its group killed, the child reaped. */
static void stop_run(Run *x)
{
    kill_everything(x->pid);
    waitpid(x->pid, &x->wstatus, 0);
}

/* Stuck for good (stuck.h): a deadlock now, not at the limit. True when
 * the run was ended. */
static bool stuck_for_good(Run *x, double now)
{
    const ProcSpec *s = x->s;
    if (x->exited || !s->watch_stuck || now < x->next_stuck_look)
        return false;
    x->next_stuck_look = now + 0.1;
    pid_t target = stuck_below(x->pid, s->stuck_through);
    if (!stuck_sample(&x->sw, target, now))
        return false;
    ProcResult *r = x->r;
    r->status = PROC_DEADLOCK;
    char who[48];
    snprintf(who, sizeof who, x->sw.threads == 1 ? "its only thread" : "all %d threads", x->sw.threads);
    r->why = xasprintf("no progress for %.1f s: %s blocked on a lock, condition, semaphore or join "
                       "(futex wait with no time limit), no CPU used, nothing left to wake %s",
                       now - x->sw.since, who, x->sw.threads == 1 ? "it" : "them");
    if (s->dump_stacks)
        r->stacks = gdb_stacks(target);
    stop_run(x);
    return true;
}

typedef enum { LIMIT_NOT_YET, LIMIT_EXTENDED, LIMIT_ENDED } LimitStep;

/* At the time limit: extended by the time the run's threads waited for a
 * CPU, or the run ends, a deadlock or a timeout. */
static LimitStep at_time_limit(Run *x, double now)
{
    const ProcSpec *s = x->s;
    ProcResult *r = x->r;
    if (x->exited || now < x->deadline)
        return LIMIT_NOT_YET;
    /* The limit counts the time the run could use: the time its threads
     * waited for a CPU (a loaded machine) extends it, up to 4 times the
     * limit. */
    cpuwait_sample(&x->cw, x->pid, s->cgroups);
    r->cpu_wait = cpuwait_seconds(&x->cw);
    double extended = x->start + s->timeout + r->cpu_wait, cap = x->start + 4 * s->timeout;
    if (extended > cap)
        extended = cap;
    if (extended > now + 0.01) {
        x->deadline = extended;
        return LIMIT_EXTENDED;
    }
    /* Deadlocked: threads wait on futexes and the CPU time stays (nearly)
     * flat over half a second. A runtime's helper thread (TSan's) may wake
     * now and then: a tick or two is allowed. */
    pid_t look = stuck_below(x->pid, s->stuck_through); /* the program, not its sandbox */
    if (look <= 0)
        look = x->pid;
    long long c0 = stuck_cpu_ticks(look), c1 = c0;
    int total = 0, running = 0, futex = 0, quiet = 0, samples = 6;
    for (int i = 0; i < samples; i++) {
        struct timespec ts = {0, 80 * 1000 * 1000};
        nanosleep(&ts, NULL);
        stuck_thread_states(look, &total, &running, &futex);
        quiet += running == 0 && futex > 0;
    }
    c1 = stuck_cpu_ticks(look);
    bool stuck = c0 >= 0 && c1 >= 0 && c1 - c0 <= 2 && quiet >= samples - 1;
    r->status = stuck ? PROC_DEADLOCK : PROC_TIMEOUT;
    r->why = stuck ? xasprintf("no progress after %.1f s: %d of %d threads blocked on a lock or "
                               "condition (futex wait), no CPU used",
                               s->timeout, futex, total)
                   : xasprintf("still running after %.1f s%s (%d threads, %d running)", now - x->start,
                               extension_note(s->timeout, r->cpu_wait), total, running);
    if (s->dump_stacks)
        r->stacks = gdb_stacks(look);
    stop_run(x);
    return LIMIT_ENDED;
}

/* A limit of the run's cgroups reached, or a flood of output: the run
 * ends (a fork bomb or a memory hog: no use waiting for the time limit).
 * True when it was ended. */
static bool over_bounds(Run *x, unsigned round)
{
    const ProcSpec *s = x->s;
    ProcResult *r = x->r;
    if (!x->exited && s->cgroups && round % 5 == 4 && (r->limit = cgroup_limit_hit(s->cgroups))) {
        r->status = PROC_LIMIT;
        r->why = xasprintf("reached its %s limit", r->limit);
        kill_everything(x->pid);
        cgroup_kill_all(s->cgroups);
        waitpid(x->pid, &x->wstatus, 0);
        return true;
    }
    if (x->sinks[0].total + x->sinks[1].total > s->flood) {
        r->status = PROC_FLOOD;
        r->why = xasprintf("wrote more than %zu bytes of output: stopped", s->flood);
        kill_everything(x->pid);
        if (!x->exited)
            waitpid(x->pid, &x->wstatus, 0);
        x->exited = true;
        return true;
    }
    return false;
}

/* Waits a little for output (a watcher's tick first), and keeps it. */
static void take_output(Run *x, struct pollfd *pf, int np)
{
    const ProcSpec *s = x->s;
    /* a watcher samples every quarter millisecond: threads that live a
     * few milliseconds are seen several times */
    struct timespec wait = {0, s->tick ? 250 * 1000 : 20 * 1000 * 1000};
    if (s->tick && !x->exited)
        s->tick((int)x->pid, s->tick_ctx);
    if (np)
        ppoll(pf, (nfds_t)np, &wait, NULL);
    else
        nanosleep(&wait, NULL);
    for (int i = 0; i < 2; i++) {
        if (x->sinks[i].fd < 0)
            continue;
        for (int k = 0; k < np; k++)
            if (pf[k].fd == x->sinks[i].fd && pf[k].revents)
                drain(&x->sinks[i], s->keep);
    }
}

/* Until the child has exited and its pipes are closed (or a second
 * after it exited), or the run is ended. */
static void watch(Run *x)
{
    for (unsigned round = 0;; round++) {
        stop_poll(); /* a stop kills this run with every other */
        struct pollfd pf[2];
        int np = 0;
        for (int i = 0; i < 2; i++)
            if (x->sinks[i].fd >= 0)
                pf[np++] = (struct pollfd){.fd = x->sinks[i].fd, .events = POLLIN};
        double now = now_seconds();
        if (!x->exited && waitpid(x->pid, &x->wstatus, WNOHANG) == x->pid) {
            x->exited = true;
            x->exited_at = now;
            /* anything else left in the group goes now, so pipes close */
            kill_everything(x->pid);
        }
        if (x->exited && (np == 0 || now - x->exited_at > 1.0))
            break;
        if (!x->exited && round % 5 == 4)
            cpuwait_sample(&x->cw, x->pid, x->s->cgroups); /* threads that end are counted too */
        if (stuck_for_good(x, now))
            break;
        LimitStep step = at_time_limit(x, now);
        if (step == LIMIT_EXTENDED)
            continue;
        if (step == LIMIT_ENDED || over_bounds(x, round))
            break;
        take_output(x, pf, np);
    }
}

/* After the run: its output, its CPU, the limit it reached, how it
 * ended; and nothing of it left. */
static void finish(Run *x, bool have_ru, const struct rusage *ru_before)
{
    const ProcSpec *s = x->s;
    ProcResult *r = x->r;
    cpuwait_free(&x->cw);
    for (int i = 0; i < 2; i++)
        if (x->sinks[i].fd >= 0)
            close(x->sinks[i].fd);
    if (nactive && active[nactive - 1] == x->pid)
        nactive--; /* reaped: from here on, a stray is an orphan */
    kill_everything(x->pid);
    stop_unwatch_group(x->pid);
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ; /* reap re-parented orphans */
    /* The CPU of the child and of every descendant, threads that ended
     * long ago included: the kernel's account of what we (a subreaper)
     * and they reaped. One run at a time per process: nothing else of
     * ours ends meanwhile. */
    struct rusage ru_after;
    if (have_ru && getrusage(RUSAGE_CHILDREN, &ru_after) == 0)
        r->cpu = rusage_seconds(&ru_after) - rusage_seconds(ru_before);
    r->wall = now_seconds() - x->start;
    r->outlen = x->sinks[0].kept.len;
    r->errlen = x->sinks[1].kept.len;
    r->out = sb_steal(&x->sinks[0].kept);
    r->err = sb_steal(&x->sinks[1].kept);
    r->out_cut = x->sinks[0].cut;
    r->err_cut = x->sinks[1].cut;
    int wstatus = x->wstatus;
    if (s->cgroups && !r->limit)
        r->limit = cgroup_limit_hit(s->cgroups);
    if (s->cgroups && !r->limit && WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL &&
        r->status != PROC_TIMEOUT && r->status != PROC_DEADLOCK && r->status != PROC_FLOOD &&
        cgroup_memory_full(s->cgroups))
        r->limit = "memory";
    if (r->status == PROC_TIMEOUT || r->status == PROC_DEADLOCK || r->status == PROC_FLOOD || r->status == PROC_LIMIT)
        return;
    if (WIFEXITED(wstatus)) {
        r->status = PROC_EXITED;
        r->code = WEXITSTATUS(wstatus);
    } else if (WIFSIGNALED(wstatus)) {
        r->status = PROC_SIGNALED;
        r->sig = WTERMSIG(wstatus);
    }
}

void proc_run(const ProcSpec *s, ProcResult *r)
{
    memset(r, 0, sizeof *r);
    r->cpu = -1;
    struct rusage ru_before;
    bool have_ru = getrusage(RUSAGE_CHILDREN, &ru_before) == 0;
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    Run x = {.s = s, .r = r, .sw = STUCK_WATCH_INIT};
    x.sw.runtime_sleeper = s->stuck_runtime_sleeper;
    x.sw.signals_unseen = s->stuck_signals_unseen;
    if (!spawn(&x))
        return;
    watch(&x);
    finish(&x, have_ru, &ru_before);
}
