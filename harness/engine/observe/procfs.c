#include "procfs.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "fs.h"

void pidlist_free(PidList *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* The numbered entries of a /proc directory, into out (emptied first). */
static bool numbered(const char *dir, PidList *out)
{
    out->n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return false;
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        long id = strtol(e->d_name, &end, 10);
        if (*end || id < 0 || end == e->d_name)
            continue;
        PUSH(out->v, out->n, out->cap, (pid_t)id);
    }
    closedir(d);
    return true;
}

bool procfs_threads(pid_t pid, PidList *out)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    return numbered(path, out);
}

bool procfs_processes(PidList *out)
{
    return numbered("/proc", out);
}

bool procfs_fds(pid_t pid, PidList *out)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    return numbered(path, out);
}

void procfs_children(pid_t pid, pid_t tid, PidList *out)
{
    char buf[256];
    if (!procfs_thread_read(pid, tid, "children", buf, sizeof buf))
        return;
    for (char *p = buf; *p;) {
        long child = strtol(p, &p, 10);
        if (child > 0)
            PUSH(out->v, out->n, out->cap, (pid_t)child);
        while (*p == ' ' || *p == '\n')
            p++;
        if (!child)
            break;
    }
}

bool procfs_read(pid_t pid, const char *name, char *buf, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
    return read_small(path, buf, size);
}

bool procfs_thread_read(pid_t pid, pid_t tid, const char *name, char *buf, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "/proc/%d/task/%d/%s", (int)pid, (int)tid, name);
    return read_small(path, buf, size);
}

FILE *procfs_open(pid_t pid, const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
    return fopen(path, "re");
}

static bool link_target(const char *path, char *buf, size_t size)
{
    ssize_t n = readlink(path, buf, size - 1);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    return true;
}

bool procfs_exe(pid_t pid, char *buf, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    return link_target(path, buf, size);
}

bool procfs_fd_target(pid_t pid, int fd, char *buf, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)pid, fd);
    return link_target(path, buf, size);
}

bool procfs_exe_id(pid_t pid, unsigned long long *dev, unsigned long long *ino)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    *dev = (unsigned long long)st.st_dev;
    *ino = (unsigned long long)st.st_ino;
    return true;
}

const char *procfs_stat_fields(const char *stat)
{
    const char *q = strrchr(stat, ')');
    return q && q[1] == ' ' ? q + 2 : NULL;
}

char procfs_stat_state(const char *stat)
{
    const char *f = procfs_stat_fields(stat);
    return f ? *f : 0;
}
