#include "symbolize.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "proc.h"
#include "strvec.h"
#include "text.h"
#include "toolpaths.h"

/* What addr2line said of one executable's addresses, kept: the schedules
 * of one program name the same lines over and over, and addr2line costs
 * more than a run. The file is known by path, device, inode, size and
 * time: a rebuilt one starts over. */
#define CACHE_MAX 65536 /* addresses kept */
#define CACHE_SLOTS (2 * CACHE_MAX)

static struct {
    char *exe;
    struct stat st;
    CodeLoc *v;
    size_t n, cap;
    unsigned *slot; /* open addressing: index + 1 into v, 0 empty */
} cache;

static void copy_loc(CodeLoc *to, const CodeLoc *from)
{
    to->fn = from->fn ? xstrdup(from->fn) : NULL;
    to->file = from->file ? xstrdup(from->file) : NULL;
    to->line = from->line;
}

static size_t slot_of(uint64_t addr)
{
    uint64_t h = addr * 0x9e3779b97f4a7c15ULL;
    return (size_t)(h >> 40) & (CACHE_SLOTS - 1);
}

static bool same_file(const char *exe, struct stat *st)
{
    if (stat(exe, st) != 0)
        return false;
    return cache.exe && !strcmp(cache.exe, exe) && cache.st.st_dev == st->st_dev && cache.st.st_ino == st->st_ino &&
           cache.st.st_size == st->st_size && cache.st.st_mtim.tv_sec == st->st_mtim.tv_sec &&
           cache.st.st_mtim.tv_nsec == st->st_mtim.tv_nsec;
}

static const CodeLoc *cached(uint64_t addr)
{
    for (size_t k = slot_of(addr); cache.slot && cache.slot[k]; k = (k + 1) & (CACHE_SLOTS - 1))
        if (cache.v[cache.slot[k] - 1].addr == addr)
            return &cache.v[cache.slot[k] - 1];
    return NULL;
}

static void cache_add(const CodeLoc *from)
{
    if (cache.n >= CACHE_MAX || cached(from->addr))
        return;
    if (!cache.slot)
        cache.slot = xcalloc(CACHE_SLOTS, sizeof *cache.slot);
    CodeLoc c = {.addr = from->addr};
    copy_loc(&c, from);
    PUSH(cache.v, cache.n, cache.cap, c);
    size_t k = slot_of(c.addr);
    while (cache.slot[k])
        k = (k + 1) & (CACHE_SLOTS - 1);
    cache.slot[k] = (unsigned)cache.n;
}


static bool run_addr2line(const char *exe, CodeLoc *locs, size_t n, char **err);

bool symbolize(const char *exe, CodeLoc *locs, size_t n, char **err)
{
    if (!n)
        return true;
    struct stat st;
    if (!same_file(exe, &st)) {
        codeloc_free(cache.v, cache.n);
        free(cache.v);
        free(cache.exe);
        free(cache.slot);
        memset(&cache, 0, sizeof cache);
        cache.exe = xstrdup(exe);
        cache.st = st;
    }
    /* the addresses not known yet, asked of addr2line in one batch */
    CodeLoc *ask = xcalloc(n, sizeof *ask);
    size_t nask = 0;
    for (size_t i = 0; i < n; i++) {
        const CodeLoc *c = cached(locs[i].addr);
        if (c)
            copy_loc(&locs[i], c);
        else
            ask[nask++].addr = locs[i].addr;
    }
    bool ok = !nask || run_addr2line(exe, ask, nask, err);
    for (size_t k = 0; ok && k < nask; k++) {
        for (size_t i = 0; i < n; i++)
            if (locs[i].addr == ask[k].addr && !locs[i].fn && !locs[i].file)
                copy_loc(&locs[i], &ask[k]);
        cache_add(&ask[k]);
    }
    codeloc_free(ask, nask);
    free(ask);
    return ok;
}

static bool run_addr2line(const char *exe, CodeLoc *locs, size_t n, char **err)
{
    StrVec argv = STRVEC_INIT;
    strvec_push(&argv, tool_paths.addr2line);
    strvec_push(&argv, "-f"); /* the function */
    strvec_push(&argv, "-C"); /* demangled */
    strvec_push(&argv, "-e");
    strvec_push(&argv, exe);
    for (size_t i = 0; i < n; i++)
        strvec_pushf(&argv, "0x%llx", (unsigned long long)locs[i].addr);
    char *env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
    ProcSpec ps = {.argv = argv.v, .envp = env, .timeout = 30, .keep = 8u << 20, .flood = 64u << 20};
    ProcResult r;
    proc_run(&ps, &r);
    strvec_clear(&argv);
    bool ok = r.status == PROC_EXITED && r.code == 0;
    if (!ok)
        *err = xasprintf("addr2line failed: %s", r.err && *r.err ? trim(r.err) : proc_status_name(r.status));
    /* two lines per address: the function, then file:line */
    const char *pos = r.out, *line;
    size_t len;
    for (size_t i = 0; ok && i < n; i++) {
        char *fn = NULL, *where = NULL;
        if (next_line(&pos, &line, &len))
            fn = xstrndup(line, len);
        if (next_line(&pos, &line, &len))
            where = xstrndup(line, len);
        if (!fn || !where) {
            *err = xstrdup("addr2line said less than it was asked");
            ok = false;
        } else {
            if (strcmp(fn, "??") != 0)
                locs[i].fn = xstrdup(fn);
            char *disc = strstr(where, " (discriminator");
            if (disc)
                *disc = '\0';
            char *colon = strrchr(where, ':');
            if (colon && strncmp(where, "??", 2) != 0) {
                *colon = '\0';
                locs[i].line = atoi(colon + 1);
                locs[i].file = xstrdup(where);
            }
        }
        free(fn);
        free(where);
    }
    proc_result_free(&r);
    return ok;
}
