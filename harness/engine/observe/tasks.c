#include "tasks.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "fs.h"

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
    char path[96], comm[64] = "";
    snprintf(path, sizeof path, "/proc/%d/comm", pid);
    if (!read_small(path, comm, sizeof comm))
        return;
    comm[strcspn(comm, "\n")] = '\0';
    snprintf(path, sizeof path, "/proc/%d/exe", pid);
    struct stat st;
    bool target = stat(path, &st) == 0 && (unsigned long long)st.st_dev == w->target_dev &&
                  (unsigned long long)st.st_ino == w->target_ino;
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        int tid = atoi(e->d_name);
        if (tid <= 0)
            continue;
        char buf[256];
        unsigned long long cpu = 0;
        snprintf(path, sizeof path, "/proc/%d/task/%d/schedstat", pid, tid);
        if (read_small(path, buf, sizeof buf))
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
        snprintf(path, sizeof path, "/proc/%d/task/%d/children", pid, tid);
        if (read_small(path, buf, sizeof buf)) {
            for (char *p = buf; *p;) {
                int child = (int)strtol(p, &p, 10);
                if (child > 0)
                    visit(w, child, pid, depth + 1);
                while (*p == ' ' || *p == '\n')
                    p++;
                if (!child)
                    break;
            }
        }
    }
    closedir(d);
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
