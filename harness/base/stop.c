#include "stop.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "fs.h"
#include "strvec.h"

/* ---- the records ---- */

/* Process groups in a fixed array: the signal handler kills them at once. */
#define MAX_GROUPS 256
static volatile pid_t groups[MAX_GROUPS];
static StrVec dirs = STRVEC_INIT, cgroups = STRVEC_INIT;
static pid_t *workers;
static size_t nworkers, workers_cap;
static volatile sig_atomic_t stop_sig;
static bool installed, in_worker;
static int guard_fd = -1;
static pid_t guard_pid;
static char token_env[96];
static sigset_t stop_set;

/* One record for the guard: a type letter and its text, one datagram. */
static void tell_guard(char type, const char *text)
{
    if (guard_fd < 0)
        return;
    char buf[4096];
    size_t n = strlen(text);
    if (n + 1 > sizeof buf)
        return; /* a path this long is cleaned up by racelab alone */
    buf[0] = type;
    memcpy(buf + 1, text, n);
    ssize_t w = send(guard_fd, buf, n + 1, MSG_NOSIGNAL);
    (void)w;
}

static void tell_guard_pid(char type, pid_t pid)
{
    char num[32];
    snprintf(num, sizeof num, "%d", (int)pid);
    tell_guard(type, num);
}

const char *stop_token_env(void)
{
    if (!token_env[0]) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        snprintf(token_env, sizeof token_env, "RACELAB_STOP_TOKEN=%d.%lld%09ld", (int)getpid(), (long long)ts.tv_sec,
                 ts.tv_nsec);
    }
    return token_env;
}

void stop_watch_group(pid_t pgid)
{
    for (size_t i = 0; i < MAX_GROUPS; i++) {
        if (!groups[i]) {
            groups[i] = pgid;
            break;
        }
    }
    tell_guard_pid('G', pgid);
}

void stop_unwatch_group(pid_t pgid)
{
    for (size_t i = 0; i < MAX_GROUPS; i++)
        if (groups[i] == pgid)
            groups[i] = 0;
    tell_guard_pid('g', pgid);
}

static void strvec_remove(StrVec *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++) {
        if (!strcmp(v->v[i], s)) {
            free(v->v[i]);
            memmove(&v->v[i], &v->v[i + 1], (v->n - i) * sizeof v->v[0]); /* moves the NULL too */
            v->n--;
            return;
        }
    }
}

void stop_watch_dir(const char *path)
{
    strvec_push(&dirs, path);
    tell_guard('D', path);
}

void stop_unwatch_dir(const char *path)
{
    strvec_remove(&dirs, path);
    tell_guard('d', path);
}

void stop_watch_cgroup(const char *dir)
{
    strvec_push(&cgroups, dir);
    tell_guard('C', dir);
}

void stop_unwatch_cgroup(const char *dir)
{
    strvec_remove(&cgroups, dir);
    tell_guard('c', dir);
}

void stop_watch_worker(pid_t pid)
{
    PUSH(workers, nworkers, workers_cap, pid);
}

void stop_unwatch_worker(pid_t pid)
{
    for (size_t i = 0; i < nworkers; i++) {
        if (workers[i] == pid) {
            workers[i] = workers[--nworkers];
            return;
        }
    }
}

const sigset_t *stop_signals(void)
{
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    sigaddset(&stop_set, SIGHUP);
    return &stop_set;
}

/* ---- sweeping: used by racelab on a stop and by the guard ---- */

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The parent of a process, or 0. */
static pid_t parent_of(pid_t pid)
{
    char p[64], buf[512];
    snprintf(p, sizeof p, "/proc/%d/stat", (int)pid);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *q = strrchr(buf, ')');
    int ppid = 0;
    if (!q || sscanf(q + 2, "%*c %d", &ppid) != 1)
        return 0;
    return (pid_t)ppid;
}

/* Whether the process's environment (as it was exec'd) holds `entry`. */
static bool environ_has(pid_t pid, const char *entry)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/environ", (int)pid);
    size_t len = 0;
    char *env = read_file(p, 1u << 20, &len, NULL);
    bool found = false;
    for (size_t i = 0; env && i < len && !found; i += strlen(env + i) + 1)
        found = !strcmp(env + i, entry);
    free(env);
    return found;
}

bool stop_spares(pid_t pid)
{
    if (pid == guard_pid)
        return true;
    for (size_t i = 0; i < nworkers; i++)
        if (workers[i] == pid)
            return true;
    return false;
}

/* SIGKILLs every process that is our child (runs that left their group
 * come back to us: we are a subreaper) or carries our token, except the
 * guard and the workers; reaps our own. */
static void sweep_processes(const char *token)
{
    DIR *d = opendir("/proc");
    if (!d)
        return;
    pid_t self = getpid();
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 1 || pid == self || stop_spares((pid_t)pid))
            continue;
        bool mine = parent_of((pid_t)pid) == self;
        if (mine || (token && environ_has((pid_t)pid, token))) {
            kill((pid_t)pid, SIGKILL);
            if (mine)
                waitpid((pid_t)pid, NULL, 0);
        }
    }
    closedir(d);
}

/* Kills every process in a cgroup and removes it, waiting up to 2 s. */
static void sweep_cgroup(const char *dir)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        char *p = path_join(dir, "cgroup.procs");
        FILE *f = fopen(p, "re");
        free(p);
        long pid;
        while (f && fscanf(f, "%ld", &pid) == 1)
            if (pid > 1 && pid != getpid() && !stop_spares((pid_t)pid))
                kill((pid_t)pid, SIGKILL);
        if (f)
            fclose(f);
        if (rmdir(dir) == 0 || errno == ENOENT)
            return;
        pause_ms(20);
    }
}

/* ---- the guard ---- */

typedef struct {
    StrVec groups, dirs, cgroups;
} Records;

static void record(Records *r, const char *msg, size_t n)
{
    char *text = xstrndup(msg + 1, n - 1);
    switch (msg[0]) {
    case 'G': strvec_push(&r->groups, text); break;
    case 'g': strvec_remove(&r->groups, text); break;
    case 'D': strvec_push(&r->dirs, text); break;
    case 'd': strvec_remove(&r->dirs, text); break;
    case 'C': strvec_push(&r->cgroups, text); break;
    case 'c': strvec_remove(&r->cgroups, text); break;
    case 'X': /* racelab cleaned up itself */
        strvec_clear(&r->groups);
        strvec_clear(&r->dirs);
        strvec_clear(&r->cgroups);
        break;
    default: break;
    }
    free(text);
}

/* The guard: reads records until every racelab process that holds the
 * socket is gone, then cleans up what is still recorded. */
static _Noreturn void guard_main(int fd, const char *token)
{
    setsid(); /* no signal from racelab's terminal */
    prctl(PR_SET_NAME, "racelab-guard");
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    int null = open("/dev/null", O_RDWR);
    for (int i = 0; i < 3 && null >= 0; i++)
        dup2(null, i);
    for (int i = 3; i < 1024; i++)
        if (i != fd)
            close(i);
    Records r = {STRVEC_INIT, STRVEC_INIT, STRVEC_INIT};
    char buf[4096];
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n > 0)
            record(&r, buf, (size_t)n);
        else if (n == 0 || errno != EINTR)
            break;
    }
    for (size_t i = 0; i < r.groups.n; i++)
        kill(-(pid_t)atoi(r.groups.v[i]), SIGKILL);
    sweep_processes(token);
    for (size_t i = 0; i < r.cgroups.n; i++)
        sweep_cgroup(r.cgroups.v[i]);
    for (size_t i = 0; i < r.dirs.n; i++)
        remove_tree(r.dirs.v[i]);
    _exit(0);
}

static void start_guard(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return; /* no guard: a SIGKILL leaves runs behind, as before */
    const char *token = stop_token_env();
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return;
    }
    if (pid == 0) {
        close(sv[0]);
        guard_main(sv[1], token);
    }
    close(sv[1]);
    guard_fd = sv[0];
    guard_pid = pid;
}

/* ---- stopping ---- */

static void on_signal(int sig)
{
    if (!stop_sig)
        stop_sig = sig;
    /* the runs go at once; the rest is done outside the handler */
    for (size_t i = 0; i < MAX_GROUPS; i++)
        if (groups[i])
            kill(-groups[i], SIGKILL);
}

/* Closes our end of the guard's socket; the guard (when it is our child)
 * sweeps once more and goes, and is reaped: no zombie under a pid 1 that
 * reaps nothing. */
static void release_guard(void)
{
    if (guard_fd < 0)
        return;
    close(guard_fd);
    guard_fd = -1;
    /* (bounded: a forked child that kept the socket keeps the guard) */
    for (int i = 0; guard_pid > 0 && !in_worker && i < 500; i++) {
        if (waitpid(guard_pid, NULL, WNOHANG) != 0)
            break;
        pause_ms(10);
    }
    guard_pid = 0;
}

void stop_finish(void)
{
    stop_poll();
    release_guard();
}

static _Noreturn void stop_now(int sig)
{
    sigprocmask(SIG_BLOCK, stop_signals(), NULL);
    for (size_t i = 0; i < nworkers; i++)
        kill(workers[i], sig); /* each cleans up its own runs */
    for (size_t i = 0; i < MAX_GROUPS; i++)
        if (groups[i])
            kill(-groups[i], SIGKILL);
    sweep_processes(stop_token_env());
    for (int waited = 0; nworkers && waited < 1000; waited++) {
        for (size_t i = 0; i < nworkers;) {
            if (waitpid(workers[i], NULL, WNOHANG) != 0)
                workers[i] = workers[--nworkers];
            else
                i++;
        }
        if (nworkers)
            pause_ms(10);
    }
    for (size_t i = 0; i < nworkers; i++) {
        kill(workers[i], SIGKILL);
        waitpid(workers[i], NULL, 0);
    }
    nworkers = 0;
    sweep_processes(stop_token_env()); /* what the workers' runs left */
    pause_ms(50);
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ; /* orphans that came back to us while we swept */
    for (size_t i = 0; i < cgroups.n; i++)
        sweep_cgroup(cgroups.v[i]);
    for (size_t i = 0; i < dirs.n; i++)
        remove_tree(dirs.v[i]);
    tell_guard('X', "");
    release_guard();
    if (!in_worker)
        fprintf(stderr, "racelab: stopped by %s: every run killed, run directories and cgroups removed\n",
                sigabbrev_np(sig) ? sigabbrev_np(sig) : "a signal");
    fflush(NULL);
    signal(sig, SIG_DFL);
    sigprocmask(SIG_UNBLOCK, stop_signals(), NULL);
    raise(sig);
    _exit(128 + sig);
}

bool stop_requested(void)
{
    return stop_sig != 0;
}

void stop_poll(void)
{
    if (stop_sig)
        stop_now(stop_sig);
}

static void handle(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a wait returns, and polls */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

void stop_install(void)
{
    if (installed)
        return;
    installed = true;
    stop_token_env();
    start_guard();
    handle();
}

void stop_in_worker(void)
{
    in_worker = true;
    for (size_t i = 0; i < MAX_GROUPS; i++)
        groups[i] = 0;
    strvec_clear(&dirs);
    strvec_clear(&cgroups);
    nworkers = 0;
    stop_sig = 0;
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (installed)
        handle();
}
