/* What every part of a grade uses, and calls no other file of the
 * grader: the items' names and an item's status, the inputs drawn, the
 * right answer, and tool or program text made fit for the student. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "grade_internal.h"
#include "judge.h"
#include "text.h"
#include "utf8.h"

static const struct {
    const char *key, *name;
} item_info[ITEM_COUNT] = {
    {"compile", "compiles (warnings shown, not fatal)"},
    {"tsan", "clean under ThreadSanitizer"},
    {"helgrind", "clean under Helgrind"},
    {"drd", "clean under DRD"},
    {"memcheck", "clean under memcheck (threads left behind)"},
    {"explore", "right under every schedule explore tries, with inputs drawn by the grader"},
};

const char *item_name(ItemId id)
{
    return item_info[id].name;
}

const char *item_key(ItemId id)
{
    return item_info[id].key;
}

/* ---- grade items ---- */

GradeItem grade_item_new(void)
{
    GradeItem c = {.status = IS_SKIPPED};
    sb_init(&c.detail);
    return c;
}

void grade_item_free(GradeItem *c)
{
    free(c->summary);
    sb_free(&c->detail);
    *c = grade_item_new();
}

void item_set(GradeItem *c, ItemStatus st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *summary = xvasprintf(fmt, ap);
    va_end(ap);
    c->status = st;
    free(c->summary);
    c->summary = summary;
}

/* ---- inputs ---- */

unsigned long long grade_random(GradeEnv *env) /* splitmix64 */
{
    unsigned long long z = (env->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Values from the `grade:` ranges. Under the detectors, from the case's own
 * detector value (`params:`, chosen to show its bug) up to a quarter of the
 * range: a race shows on the first conflicting pair, and Helgrind is ~100x
 * slower than a native run. */
Params grade_draw(GradeEnv *env, bool low)
{
    Params ps = params_copy(&env->o->spec->params);
    for (size_t i = 0; i < ps.n; i++) {
        Param *p = &ps.items[i];
        long long lo = p->lo, hi = p->hi;
        if (low) {
            lo = p->value < p->lo ? p->lo : p->value > p->hi ? p->hi : p->value;
            hi = p->lo + (p->hi - p->lo) / 4 > lo ? p->lo + (p->hi - p->lo) / 4 : lo;
        }
        p->value = hi > lo ? lo + (long long)(grade_random(env) % (unsigned long long)(hi - lo + 1)) : lo;
    }
    return ps;
}

char *params_text(const Params *ps)
{
    StrBuf sb = STRBUF_INIT;
    for (size_t i = 0; i < ps->n; i++)
        sb_addf(&sb, "%s%s=%lld", i ? " " : "", ps->items[i].name, ps->items[i].value);
    return sb_steal(&sb);
}

/* The first expected output line that depends on the inputs, over ps
 * (for comparing answers). */
char *expected_line(const CaseSpec *s, const Params *ps)
{
    char *err = NULL;
    size_t k = 0; /* the first line that depends on the inputs */
    while (k + 1 < s->noutputs && (!strchr(s->outputs[k], '{') || s->outputs[k][0] == '?'))
        k++;
    char *r = s->noutputs ? expr_subst(s->outputs[k], ps, &err) : xstrdup("");
    free(err);
    return r ? r : xstrdup("");
}

/* ---- text for the student ---- */

char *student_text(const GradeEnv *env, const char *s)
{
    if (!s)
        return xstrdup("");
    StrBuf sb = STRBUF_INIT;
    size_t n = env->src ? strlen(env->src) : 0;
    for (const char *q = s; *q;) {
        const char *hit = n ? strstr(q, env->src) : NULL;
        if (!hit) {
            sb_add(&sb, q);
            break;
        }
        sb_addn(&sb, q, (size_t)(hit - q));
        sb_add(&sb, env->sub->display);
        q = hit + n;
    }
    char *r = printable(sb.buf, sb.len);
    sb_free(&sb);
    return r;
}

void describe_run_error(const GradeEnv *env, const RunOutcome *o, StrBuf *out)
{
    char *e = student_text(env, o->error);
    sb_addf(out, "  %s\n", e);
    free(e);
    /* under the sandbox a death by signal N reads as exit status 128+N */
    if (o->proc.status == PROC_EXITED && o->proc.code > 128 && o->proc.code < 128 + 32)
        sb_addf(out, "  (status %d is how the sandbox reports a death by signal %d, %s)\n", o->proc.code,
                o->proc.code - 128, strsignal(o->proc.code - 128));
    if (o->proc.err && o->proc.errlen) { /* the program's own last words */
        const char *p = o->proc.err + o->proc.errlen;
        int lines = 0;
        while (p > o->proc.err && lines < 6)
            if (*--p == '\n' && p + 1 < o->proc.err + o->proc.errlen)
                lines++;
        char *tail = xstrndup(p, (size_t)(o->proc.err + o->proc.errlen - p));
        char *t = student_text(env, tail);
        sb_add(out, "  its stderr ended with:\n");
        const char *pos = t, *line;
        size_t len;
        while (next_line(&pos, &line, &len))
            if (len)
                sb_addf(out, "      %.*s%s\n", (int)(len > 200 ? 200 : len), line, len > 200 ? " ..." : "");
        free(t), free(tail);
    }
}

/* ---- answers ---- */

bool grade_right_answer(const CaseSpec *spec, const Params *ps, const RunOutcome *o, char **why)
{
    if (o->proc.out_cut) {
        *why = xstrdup("its output was cut at 1 MiB: the grader reads no more");
        return false;
    }
    return oracle_check(spec, ps, o->proc.out, why);
}
