#include "sandbox.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "fs.h"
#include "log.h"
#include "proc.h"
#include "strbuf.h"
#include "strvec.h"
#include "text.h"
#include "toolpaths.h"

static const char *const base_args[] = {
    "--unshare-all",     /* network, pid, ipc, uts, cgroup, mount */
    "--die-with-parent", /* the sandbox dies with the bwrap racelab kills */
    "--new-session",     /* no TIOCSTI into racelab's terminal */
    "--cap-drop",        "ALL", "--hostname", "racelab",
    /* not root inside: uid and gid 65534 (nobody) in a user namespace of
     * its own, which may not make another (no nested namespaces) */
    "--unshare-user", "--uid", "65534", "--gid", "65534", "--disable-userns",
};

/* Top-level system directories: bound read-only, or re-created as the
 * symlinks they are on merged-/usr systems. /etc is reduced to what the
 * dynamic loader and the Debian alternatives need. */
static const char *const sys_dirs[] = {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"};
static const char *const etc_files[] = {"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
                                        "/etc/alternatives"};

static void add3(StrVec *a, const char *x, const char *y, const char *z)
{
    strvec_push(a, x);
    strvec_push(a, y);
    if (z)
        strvec_push(a, z);
}

static void add_system(StrVec *a)
{
    add3(a, "--ro-bind", "/usr", "/usr");
    for (size_t i = 0; i < ARRAY_LEN(sys_dirs); i++) {
        char target[4096];
        ssize_t n = readlink(sys_dirs[i], target, sizeof target - 1);
        if (n > 0) {
            target[n] = '\0';
            add3(a, "--symlink", target, sys_dirs[i]);
        } else if (file_exists(sys_dirs[i])) {
            add3(a, "--ro-bind", sys_dirs[i], sys_dirs[i]);
        }
    }
    for (size_t i = 0; i < ARRAY_LEN(etc_files); i++)
        add3(a, "--ro-bind-try", etc_files[i], etc_files[i]);
    add3(a, "--proc", "/proc", NULL);
    add3(a, "--dev", "/dev", NULL);
    add3(a, "--tmpfs", "/tmp", NULL); /* Valgrind needs a writable /tmp */
}

char **sandbox_argv(const Sandbox *sb, const SandboxStep *st)
{
    if (!sb->enabled)
        return NULL;
    StrVec a = STRVEC_INIT;
    /* 1. join the cgroups (a shell, because only the new process itself
     *    should be in them, not racelab) */
    cgroup_join_argv(&sb->cg, &a);
    /* 2. rlimits: CPU and file size; never RLIMIT_NPROC (TSan exits 66)
     *    and RLIMIT_AS only for compilers (TSan maps terabytes) */
    strvec_push(&a, tool_paths.prlimit);
    strvec_pushf(&a, "--cpu=%ld:%ld", st->cpu_seconds, st->cpu_seconds);
    strvec_pushf(&a, "--fsize=%lld:%lld", st->fsize, st->fsize);
    strvec_push(&a, "--core=0:0");
    if (st->as_limit > 0)
        strvec_pushf(&a, "--as=%lld:%lld", st->as_limit, st->as_limit);
    /* 3. bubblewrap */
    strvec_push(&a, tool_paths.bwrap);
    for (size_t i = 0; i < ARRAY_LEN(base_args); i++)
        strvec_push(&a, base_args[i]);
    add_system(&a);
    for (size_t i = 0; i < st->nmounts; i++)
        add3(&a, st->mounts[i].writable ? "--bind" : "--ro-bind", st->mounts[i].path, st->mounts[i].path);
    if (st->chdir)
        add3(&a, "--chdir", st->chdir, NULL);
    if (st->clearenv) {
        strvec_push(&a, "--clearenv");
        add3(&a, "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin");
        add3(&a, "--setenv", "LC_ALL", "C");
        add3(&a, "--setenv", "TMPDIR", "/tmp");
        add3(&a, "--setenv", "HOME", st->home ? st->home : "/tmp");
    }
    strvec_push(&a, "--");
    return strvec_detach(&a);
}

bool sandbox_probe(char **why)
{
    Sandbox sb = {.enabled = true};
    SandboxStep st = {.cpu_seconds = 10, .fsize = 1 << 20, .clearenv = true};
    char **prefix = sandbox_argv(&sb, &st);
    StrVec pre = STRVEC_INIT;
    strvec_pushv(&pre, prefix);
    strv_free(prefix);
    strvec_push(&pre, "/usr/bin/true");
    char *env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
    ProcSpec ps = {.argv = pre.v, .envp = env, .timeout = 20, .keep = 4096, .flood = 1 << 20};
    ProcResult r;
    proc_run(&ps, &r);
    bool ok = r.status == PROC_EXITED && r.code == 0;
    if (!ok && r.status == PROC_EXITED)
        *why = xasprintf("bwrap exited with status %d: %s", r.code, r.err && *r.err ? trim(r.err) : "no message");
    else if (!ok)
        *why = xasprintf("bwrap: %s", r.why ? r.why : proc_status_name(r.status));
    proc_result_free(&r);
    strvec_clear(&pre);
    return ok;
}

static void note(StrBuf *sb, const char *s)
{
    sb_addf(sb, "%s%s", sb->len ? "; " : "", s);
}

void sandbox_init(Sandbox *sb, bool enabled)
{
    memset(sb, 0, sizeof *sb);
    sb->enabled = enabled;
    StrBuf d = STRBUF_INIT;
    if (!enabled) {
        sb->limits = xstrdup("no sandbox (--no-sandbox): the submission runs with racelab's rights");
        return;
    }
    sb->exe = realpath(tool_paths.bwrap, NULL);
    note(&d, "bwrap: no network, own pid/ipc/mount/user namespaces, uid nobody (no nested namespaces), read-only /usr");
    /* A grade's programs have at most 64 threads each (the cases' own
     * limit), the tools a few more: 512 tasks is room, not a constraint. */
    CgroupLimits lim = {.pids_max = 512, .memory_max = 2147483648ll, .cpu = true};
    cgroup_create(&sb->cg, &lim);
    if (sb->cg.pids && !sb->cg.pids_v2)
        note(&d, "at most 512 processes+threads (cgroup v1 pids)");
    if (sb->cg.memory && !sb->cg.memory_v2)
        note(&d, "2 GiB of memory (cgroup v1)");
    if (sb->cg.cpu)
        note(&d, "its own CPU group: a fair share, whatever it forks (cgroup v1 cpu)");
    if (sb->cg.pids_v2)
        note(&d, "at most 512 processes+threads (cgroup v2)");
    bool pids = sb->cg.pids;
    if (!pids)
        note(&d,
             "no pids cgroup here: a fork bomb is bounded by the pid namespace, the wall-clock "
             "limit and the kill of the whole namespace");
    sb->limits = sb_steal(&d);
}

void sandbox_kill_all(const Sandbox *sb)
{
    cgroup_kill_all(&sb->cg);
}

void sandbox_free(Sandbox *sb)
{
    cgroup_destroy(&sb->cg);
    free(sb->limits), free(sb->exe);
    memset(sb, 0, sizeof *sb);
}
