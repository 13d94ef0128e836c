#include "cgroup.h"

#include <errno.h>
#include <limits.h>
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
#include "stop.h"
#include "text.h"

static bool write_str(const char *dir, const char *file, const char *value)
{
    char *p = path_join(dir, file);
    FILE *f = fopen(p, "w");
    free(p);
    if (!f)
        return false;
    bool ok = fputs(value, f) >= 0;
    return (fclose(f) == 0) && ok;
}

static bool write_ll(const char *dir, const char *file, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    return write_str(dir, file, buf);
}

static bool has_word(const char *list, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == wl && !strncmp(p, word, wl))
            return true;
        p += len;
        p += *p == ',';
    }
    return false;
}

/* The mount point of the v1 hierarchy with `controller` (NULL: the v2
 * one), and this process's path in it. */
static bool find_hierarchy(const char *controller, char **mount, char **path)
{
    *mount = *path = NULL;
    FILE *f = fopen("/proc/self/mounts", "r");
    char line[4096];
    while (f && fgets(line, sizeof line, f)) {
        char dev[256], dir[1024], type[64], opts[1024];
        if (sscanf(line, "%255s %1023s %63s %1023s", dev, dir, type, opts) != 4)
            continue;
        bool v2 = !strcmp(type, "cgroup2");
        if ((!controller && v2) || (controller && !strcmp(type, "cgroup") && has_word(opts, controller))) {
            *mount = xstrdup(dir);
            break;
        }
    }
    if (f)
        fclose(f);
    f = fopen("/proc/self/cgroup", "r");
    while (*mount && f && fgets(line, sizeof line, f)) {
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        *c2 = '\0';
        bool mine = controller ? has_word(c1 + 1, controller) : !strcmp(line, "0") && c1[1] == '\0';
        if (mine) {
            *path = xstrdup(trim(c2 + 1));
            break;
        }
    }
    if (f)
        fclose(f);
    if (*mount && *path)
        return true;
    free(*mount);
    free(*path);
    return false;
}

static char *make_group(const char *mount, const char *path)
{
    static unsigned seq;
    char *dir = xasprintf("%s%s/racelab-%d-%u", mount, strcmp(path, "/") ? path : "", (int)getpid(), seq++);
    if (mkdir(dir, 0755) != 0) {
        free(dir);
        return NULL;
    }
    stop_watch_cgroup(dir); /* removed on a stop, even of a SIGKILL */
    return dir;
}

void cgroup_create(CgroupSet *cg, const CgroupLimits *lim)
{
    memset(cg, 0, sizeof *cg);
    cg->limits = *lim;
    char pids[32], mem[32];
    snprintf(pids, sizeof pids, "%lld", lim->pids_max);
    snprintf(mem, sizeof mem, "%lld", lim->memory_max);
    const struct {
        const char *ctl, *file, *value;
        bool wanted;
    } v1[] = {
        {"pids", "pids.max", pids, lim->pids_max > 0},
        {"memory", "memory.limit_in_bytes", mem, lim->memory_max > 0},
        {"cpu", NULL, NULL, lim->cpu},
    };
    for (size_t i = 0; i < ARRAY_LEN(v1); i++) {
        char *mount, *path;
        if (!v1[i].wanted || !find_hierarchy(v1[i].ctl, &mount, &path))
            continue;
        char *dir = make_group(mount, path);
        if (dir && (!v1[i].file || write_str(dir, v1[i].file, v1[i].value))) {
            cg->dirs[cg->n++] = dir;
            if (i == 0) {
                cg->pids = true;
                cg->pids_dir = dir;
            } else if (i == 1) {
                cg->memory = true;
                cg->memory_dir = dir;
            } else {
                cg->cpu = true;
            }
        } else if (dir) {
            stop_unwatch_cgroup(dir);
            rmdir(dir);
            free(dir);
        }
        free(mount);
        free(path);
    }
    char *mount, *path;
    if (lim->pids_max > 0 && !cg->pids && find_hierarchy(NULL, &mount, &path)) {
        /* cgroup v2: works where this process's cgroup delegates pids */
        char *dir = make_group(mount, path);
        if (dir && write_str(dir, "pids.max", pids)) {
            cg->dirs[cg->n++] = dir;
            cg->pids = cg->pids_v2 = true;
            cg->pids_dir = dir;
            if (lim->memory_max > 0 && write_str(dir, "memory.max", mem) && !cg->memory) {
                cg->memory = cg->memory_v2 = true;
                cg->memory_dir = dir;
            }
        } else if (dir) {
            stop_unwatch_cgroup(dir);
            rmdir(dir);
            free(dir);
        }
        free(mount);
        free(path);
    }
}

bool cgroup_join(const CgroupSet *cg, pid_t pid)
{
    bool ok = true;
    for (size_t i = 0; i < cg->n; i++)
        ok = write_ll(cg->dirs[i], "cgroup.procs", pid ? (long long)pid : (long long)getpid()) && ok;
    return ok;
}

void cgroup_join_argv(const CgroupSet *cg, StrVec *a)
{
    if (!cg->n)
        return;
    strvec_push(a, "/bin/sh");
    strvec_push(a, "-c");
    strvec_push(a, "for f do case $f in --) break;; esac; echo $$ >\"$f\" || exit 125; shift; done; shift; exec \"$@\"");
    strvec_push(a, "racelab-sandbox");
    for (size_t i = 0; i < cg->n; i++)
        strvec_pushf(a, "%s/cgroup.procs", cg->dirs[i]);
    strvec_push(a, "--");
}

void cgroup_kill_all(const CgroupSet *cg)
{
    for (size_t i = 0; i < cg->n; i++) {
        char *p = path_join(cg->dirs[i], "cgroup.procs");
        FILE *f = fopen(p, "r");
        free(p);
        long pid;
        while (f && fscanf(f, "%ld", &pid) == 1)
            if (pid > 1 && pid != (long)getpid())
                kill((pid_t)pid, SIGKILL);
        if (f)
            fclose(f);
    }
}

/* The number after `key` in a "key value" file of the group, or 0. */
static long long read_key(const char *dir, const char *file, const char *key)
{
    char *p = path_join(dir, file);
    FILE *f = fopen(p, "r");
    free(p);
    char line[256];
    long long v = 0;
    size_t kl = strlen(key);
    while (f && fgets(line, sizeof line, f)) {
        if (!key[0]) {
            v = strtoll(line, NULL, 10);
            break;
        }
        if (!strncmp(line, key, kl) && line[kl] == ' ') {
            v = strtoll(line + kl + 1, NULL, 10);
            break;
        }
    }
    if (f)
        fclose(f);
    return v;
}

const char *cgroup_limit_hit(const CgroupSet *cg)
{
    if (cg->pids && read_key(cg->pids_dir, "pids.events", "max") > 0)
        return "pids";
    if (cg->memory_v2 && (read_key(cg->memory_dir, "memory.events", "oom_kill") > 0 ||
                          read_key(cg->memory_dir, "memory.events", "oom") > 0))
        return "memory";
    if (cg->memory && !cg->memory_v2 && read_key(cg->memory_dir, "memory.oom_control", "oom_kill") > 0)
        return "memory";
    return NULL;
}

bool cgroup_memory_full(const CgroupSet *cg)
{
    if (!cg->memory)
        return false;
    if (cg->memory_v2)
        return read_key(cg->memory_dir, "memory.events", "max") > 0;
    return read_key(cg->memory_dir, "memory.failcnt", "") > 0;
}

void cgroup_destroy(CgroupSet *cg)
{
    for (int attempt = 0; attempt < 100 && cg->n; attempt++) {
        cgroup_kill_all(cg);
        size_t kept = 0;
        for (size_t i = 0; i < cg->n; i++) {
            if (rmdir(cg->dirs[i]) == 0 || errno == ENOENT) {
                stop_unwatch_cgroup(cg->dirs[i]);
                free(cg->dirs[i]);
            }
            else
                cg->dirs[kept++] = cg->dirs[i];
        }
        cg->n = kept;
        if (kept) {
            struct timespec ts = {0, 20 * 1000 * 1000}; /* killed processes take a moment to go */
            nanosleep(&ts, NULL);
        }
    }
    for (size_t i = 0; i < cg->n; i++) {
        warnf("cannot remove cgroup %s: %s", cg->dirs[i], strerror(errno));
        free(cg->dirs[i]);
    }
    memset(cg, 0, sizeof *cg);
}

char *cgroup_bytes_text(long long b)
{
    static const char *const units[] = {"GiB", "MiB", "KiB"};
    static const int shifts[] = {30, 20, 10};
    for (size_t i = 0; i < ARRAY_LEN(units); i++)
        if (b >= (1ll << shifts[i]) && b % (1ll << shifts[i]) == 0)
            return xasprintf("%lld %s", b >> shifts[i], units[i]);
    return xasprintf("%lld bytes", b);
}

bool cgroup_parse_bytes(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || v <= 0)
        return false;
    int shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 't': case 'T': shift = 40; end++; break;
    default: break;
    }
    if (*end == 'i' && shift)
        end++;
    if ((*end == 'B' || *end == 'b') && end[1] == '\0')
        end++;
    if (*end || v > (LLONG_MAX >> shift))
        return false;
    *out = v << shift;
    return true;
}
