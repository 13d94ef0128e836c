/* The schedule's trace in an explore report, readable: each step of
 * the last ones as a line, a wait joined to the call that waits, repeats
 * folded, with the runtime's notes. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "explore_log.h"
#include "fs.h"
#include "strbuf.h"
#include "strvec.h"

#define TRACE_SHOWN 40

static const char *op_words(const char *op)
{
    static const struct {
        const char *op, *words;
    } w[] = {
        {"start", "starts"},
        {"create", "creates"},
        {"join", "joins"},
        {"exit", "ends"},
        {"detach", "detaches"},
        {"lock", "locks"},
        {"trylock", "trylocks (gets)"},
        {"trylock-busy", "trylocks (busy)"},
        {"unlock", "unlocks"},
        {"rdlock", "read-locks"},
        {"wrlock", "write-locks"},
        {"cond-wait", "waits on"},
        {"woken", "is woken on"},
        {"timeout", "times out on"},
        {"spurious-wakeup", "wakes without a signal on"},
        {"signal", "signals"},
        {"broadcast", "broadcasts"},
        {"sem-wait", "waits on"},
        {"sem-post", "posts"},
        {"barrier", "reaches"},
        {"once", "calls once"},
        {"yield", "yields"},
        {"sleep", "sleeps (no time passes under explore)"},
        {"preempted-reading", "is preempted before reading"},
        {"preempted-writing", "is preempted before writing"},
        {"spinning", "spins on"},
        {"blocks", "blocks"},
        {"released", "is released to run freely"},
    };
    for (size_t i = 0; i < ARRAY_LEN(w); i++)
        if (!strcmp(w[i].op, op))
            return w[i].words;
    return op;
}

static char *event_line(const ExploreLog *p, char **w)
{
    StrBuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s %s", w[2], op_words(w[3]));
    const char *obj = w[4];
    uint64_t off;
    if (strcmp(obj, "-") != 0) {
        if (elog_offset(obj, &off)) {
            const char *sym = elog_data_name(p, off); /* an address the program accessed */
            sb_addf(&sb, " '%s'", sym ? sym : obj);
        } else if (!strcmp(obj, "mem")) {
            sb_add(&sb, " memory");
        } else {
            sb_addf(&sb, " %s", elog_obj_shown(p, obj));
        }
    }
    const CodeLoc *l = elog_loc(p, w[5]);
    if (l && l->file)
        sb_addf(&sb, " at %s:%d", path_base(l->file), l->line);
    return sb_steal(&sb);
}

/* The smallest period (up to 8 lines) with which lines[i..] repeats at
 * least twice, and how many times; 0 if none. */
static size_t period_at(const StrVec *lines, size_t i, size_t *times)
{
    for (size_t p = 1; p <= 8 && i + 2 * p <= lines->n; p++) {
        size_t t = 1;
        for (;;) {
            size_t start = i + t * p;
            bool same = start + p <= lines->n;
            for (size_t k = 0; same && k < p; k++)
                same = !strcmp(lines->v[start + k], lines->v[i + k]);
            if (!same)
                break;
            t++;
        }
        if (t >= 2) {
            *times = t;
            return p;
        }
    }
    return 0;
}

/* The trace, readable: a thread's wait joined to the call that waits,
 * repeated runs of up to 8 lines folded ("x12": a loop, or two threads
 * taking turns), and only its last lines. */
static char *trace_text(const ExploreLog *p, unsigned long long total)
{
    StrVec lines = STRVEC_INIT;
    const char *last_tid = NULL, *last_pc = NULL;
    for (size_t i = 0; i < p->n; i++) {
        char **w = p->words[i].v;
        if (strcmp(w[0], "ev") != 0 || p->words[i].n < 6)
            continue;
        if (!strcmp(w[3], "blocks") && lines.n && last_tid && !strcmp(last_tid, w[2]) && !strcmp(last_pc, w[5])) {
            char *l = xasprintf("%s (waits)", lines.v[lines.n - 1]);
            strvec_truncate(&lines, lines.n - 1);
            strvec_push(&lines, l);
            free(l);
            continue;
        }
        char *l = event_line(p, w);
        strvec_push(&lines, l);
        free(l);
        last_tid = w[2];
        last_pc = w[5];
    }
    StrVec out = STRVEC_INIT;
    for (size_t i = 0; i < lines.n;) {
        size_t times = 0, per = period_at(&lines, i, &times);
        if (!per) {
            strvec_push(&out, lines.v[i++]);
        } else if (per == 1) {
            strvec_pushf(&out, "%s  (x%zu)", lines.v[i], times);
            i += times;
        } else {
            for (size_t k = 0; k < per; k++)
                strvec_pushf(&out, "%s%s", lines.v[i + k], k + 1 < per ? "  |" : "");
            strvec_pushf(&out, "  (these %zu lines x%zu)", per, times);
            i += per * times;
        }
    }
    StrBuf sb = STRBUF_INIT;
    size_t first = out.n > TRACE_SHOWN ? out.n - TRACE_SHOWN : 0;
    if (first || total > lines.n)
        sb_addf(&sb, "(the last steps of %llu; all of them are in the run's explore.log)\n", total);
    for (size_t i = first; i < out.n; i++)
        sb_addf(&sb, "%s\n", out.v[i]);
    strvec_clear(&lines);
    strvec_clear(&out);
    return sb_steal(&sb);
}

char *explore_log_trace(ExploreLog *p, const ExploreInfo *info)
{
    elog_name_objects(p);
    unsigned long long total = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->words[i].v[0], "trace") && p->words[i].n >= 4)
            total = strtoull(p->words[i].v[3], NULL, 10);
    char *t = trace_text(p, total);
    char *out = *info->notes ? xasprintf("%snotes:\n%s", t, info->notes) : xstrdup(t);
    free(t);
    return out;
}
