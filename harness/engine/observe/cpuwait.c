#include "cpuwait.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "fs.h"

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

static void sample_process(CpuWait *w, pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        long tid = strtol(e->d_name, &end, 10);
        if (*end || tid <= 0)
            continue;
        char p[96], buf[128];
        snprintf(p, sizeof p, "/proc/%d/task/%ld/schedstat", (int)pid, tid);
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n <= 0)
            continue;
        buf[n] = '\0';
        unsigned long long run = 0, wait = 0;
        if (sscanf(buf, "%llu %llu", &run, &wait) == 2)
            note(w, (pid_t)tid, wait);
    }
    closedir(d);
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
