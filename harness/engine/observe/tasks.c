#include "tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "fs.h"
#include "procfs.h"

static TaskSeen *find(TaskWatch *w, int pid, int tid)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->t[i].pid == pid && w->t[i].tid == tid)
            return &w->t[i];
    return NULL;
}

/* Records every thread of process pid, then its children's. Depth is
 * bounded: a fork bomb is the sandbox's to stop, not the watcher's. */
static void visit(TaskWatch *w, int pid, int ppid, int depth)
{
    if (depth > 16)
        return;
    char comm[64] = "";
    if (!procfs_read(pid, "comm", comm, sizeof comm))
        return;
    comm[strcspn(comm, "\n")] = '\0';
    unsigned long long dev, ino;
    bool target = procfs_exe_id(pid, &dev, &ino) && dev == w->target_dev && ino == w->target_ino;
    PidList tids = {0}, children = {0};
    procfs_threads(pid, &tids);
    for (size_t i = 0; i < tids.n; i++) {
        int tid = (int)tids.v[i];
        char buf[256];
        unsigned long long cpu = 0;
        if (procfs_thread_read(pid, tid, "schedstat", buf, sizeof buf))
            cpu = strtoull(buf, NULL, 10);
        TaskSeen *t = find(w, pid, tid);
        if (!t) {
            TaskSeen n = {.pid = pid, .tid = tid, .ppid = ppid, .first = w->samples};
            PUSH(w->t, w->n, w->cap, n);
            t = &w->t[w->n - 1];
        }
        snprintf(t->comm, sizeof t->comm, "%s", comm); /* an exec renames it */
        t->is_target = t->is_target || target;
        t->last = w->samples;
        if (cpu > t->cpu_ns)
            t->cpu_ns = cpu;
        children.n = 0;
        procfs_children(pid, tid, &children);
        for (size_t k = 0; k < children.n; k++)
            visit(w, (int)children.v[k], pid, depth + 1);
    }
    pidlist_free(&tids);
    pidlist_free(&children);
}

void tasks_watch_init(TaskWatch *w, const char *exe)
{
    memset(w, 0, sizeof *w);
    struct stat st;
    if (exe && stat(exe, &st) == 0)
        w->target_dev = (unsigned long long)st.st_dev, w->target_ino = (unsigned long long)st.st_ino;
}

void tasks_sample(int root, void *watch)
{
    TaskWatch *w = watch;
    visit(w, root, 0, 0);
    w->samples++;
}

static int program_pid(const TaskWatch *w)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->t[i].is_target)
            return w->t[i].pid;
    return 0;
}

static const TaskSeen *process(const TaskWatch *w, int pid)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->t[i].pid == pid && w->t[i].tid == pid)
            return &w->t[i];
    return NULL;
}

static bool ancestor_of(const TaskWatch *w, int pid, int of)
{
    const TaskSeen *p = process(w, of);
    for (int hops = 0; p && p->ppid && hops < 64; hops++) {
        if (p->ppid == pid)
            return true;
        p = process(w, p->ppid);
    }
    return false;
}

void tasks_summarize(const TaskWatch *w, TaskSummary *s)
{
    memset(s, 0, sizeof *s);
    s->program = program_pid(w);
    if (!s->program)
        return;
    for (size_t i = 0; i < w->n; i++) {
        const TaskSeen *t = &w->t[i];
        if (ancestor_of(w, t->pid, s->program)) {
            s->wrap_ns += t->cpu_ns;
            continue;
        }
        s->processes += t->tid == t->pid;
        if (t->pid != s->program)
            continue;
        if (t->tid == t->pid) {
            s->main_ns = t->cpu_ns;
            continue;
        }
        s->threads++;
        s->threads_ns += t->cpu_ns;
        s->long_lived += t->last - t->first >= 3;
        int alive = 0; /* threads alive when this one started */
        for (size_t k = 0; k < w->n; k++) {
            const TaskSeen *u = &w->t[k];
            alive += u->pid == s->program && u->tid != u->pid && u->first <= t->first && t->first <= u->last;
        }
        if (alive > s->at_once)
            s->at_once = alive;
    }
}

void tasks_free(TaskWatch *w)
{
    free(w->t);
    memset(w, 0, sizeof *w);
}

/* ---- how long threads waited for a CPU ---- */

static void note(CpuWait *w, pid_t tid, unsigned long long wait)
{
    for (size_t i = 0; i < w->n; i++) {
        if (w->threads[i].tid == tid) {
            if (wait > w->threads[i].wait_ns)
                w->threads[i].wait_ns = wait;
            return;
        }
    }
    ALLOC_GROW(w->threads, w->n + 1, w->cap);
    w->threads[w->n++] = (struct CpuWaitThread){tid, wait};
}

/* Each thread's time on a run queue: schedstat's second field. */
static void sample_process(CpuWait *w, pid_t pid)
{
    PidList tids = {0};
    procfs_threads(pid, &tids);
    for (size_t i = 0; i < tids.n; i++) {
        char buf[128];
        unsigned long long run = 0, wait = 0;
        if (procfs_thread_read(pid, tids.v[i], "schedstat", buf, sizeof buf) &&
            sscanf(buf, "%llu %llu", &run, &wait) == 2)
            note(w, tids.v[i], wait);
    }
    pidlist_free(&tids);
}

void cpuwait_sample(CpuWait *w, pid_t leader, const CgroupSet *cg)
{
    sample_process(w, leader);
    if (!cg || !cg->pids_dir)
        return;
    char *p = path_join(cg->pids_dir, "cgroup.procs");
    FILE *f = fopen(p, "re");
    free(p);
    long pid;
    while (f && fscanf(f, "%ld", &pid) == 1)
        if (pid != (long)leader)
            sample_process(w, (pid_t)pid);
    if (f)
        fclose(f);
}

double cpuwait_seconds(const CpuWait *w)
{
    unsigned long long total = 0;
    for (size_t i = 0; i < w->n; i++)
        total += w->threads[i].wait_ns;
    return (double)total / 1e9;
}

void cpuwait_free(CpuWait *w)
{
    free(w->threads);
    memset(w, 0, sizeof *w);
}
