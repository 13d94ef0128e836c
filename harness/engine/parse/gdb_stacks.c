#include "gdb_stacks.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "strbuf.h"
#include "text.h"

typedef struct {
    char *id;
    char *wait;  /* "waits to lock 'a'" */
    char *where; /* "deadlocks.c:55 (in ba)" */
} ThreadWait;

static const struct {
    const char *fn;
    const char *what;
} waits[] = {
    {"pthread_mutex_lock", "waits to lock"},
    {"pthread_mutex_timedlock", "waits to lock"},
    {"pthread_rwlock_", "waits for rwlock"},
    {"pthread_cond_wait", "waits on a condition variable"},
    {"pthread_cond_timedwait", "waits on a condition variable"},
    {"pthread_join", "waits in pthread_join"},
    {"pthread_clockjoin", "waits in pthread_join"},
    {"pthread_barrier_wait", "waits at a barrier"},
    {"sem_wait", "waits on a semaphore"},
    {"sem_clockwait", "waits on a semaphore"},
    {"__tsan::BackgroundThread", "TSan's own thread, napping (it never ends)"},
};

/* "mutex=0x55f5 <a>)" -> "a" */
static char *symbol_in(const char *frame)
{
    const char *lt = strstr(frame, " <");
    const char *gt = lt ? strchr(lt, '>') : NULL;
    if (!gt || gt - lt > 80)
        return NULL;
    return xstrndup(lt + 2, (size_t)(gt - lt - 2));
}

static void take_frame(ThreadWait *t, const char *frame)
{
    if (!t->wait) {
        for (size_t i = 0; i < ARRAY_LEN(waits); i++) {
            if (!strstr(frame, waits[i].fn))
                continue;
            char *sym = strstr(waits[i].what, "lock") ? symbol_in(frame) : NULL;
            t->wait = sym ? xasprintf("%s '%s'", waits[i].what, sym) : xstrdup(waits[i].what);
            free(sym);
            break;
        }
    }
    const char *at = strstr(frame, ") at ");
    if (t->where || !at)
        return;
    const char *file = at + 5;
    if (file[0] == '.' || starts_with(file, "/usr/") || strstr(file, "sysdeps/"))
        return; /* glibc's own sources */
    const char *in = strstr(frame, " in ");
    const char *fn = in ? in + 4 : strchr(frame, ' ');
    while (fn && *fn == ' ')
        fn++;
    size_t fnlen = fn ? strcspn(fn, " (") : 0;
    t->where =
        xasprintf("%.*s (in %.*s)", (int)strcspn(path_base(file), "\n"), path_base(file), (int)fnlen, fn ? fn : "");
}

char *hang_summary(const char *out)
{
    ThreadWait *ts = NULL;
    size_t n = 0, cap = 0;
    for (const char *p = out; p && *p;) {
        const char *eol = strchr(p, '\n');
        char *line = xstrndup(p, eol ? (size_t)(eol - p) : strlen(p));
        if (starts_with(line, "Thread ")) {
            ThreadWait t = {xstrndup(line + 7, strcspn(line + 7, " ")), NULL, NULL};
            PUSH(ts, n, cap, t);
        } else if (n && line[0] == '#') {
            take_frame(&ts[n - 1], line);
        }
        free(line);
        p = eol ? eol + 1 : NULL;
    }
    if (!n)
        return NULL;
    StrBuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        sb_addf(&sb, "    thread %s: %s%s%s\n", ts[i].id, ts[i].wait ? ts[i].wait : "not blocked in a known wait",
                ts[i].where ? " at " : "", ts[i].where ? ts[i].where : "");
        free(ts[i].id);
        free(ts[i].wait);
        free(ts[i].where);
    }
    free(ts);
    return sb_steal(&sb);
}
