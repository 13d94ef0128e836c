#include "judge.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"

Verdict verdict_of_status(RunStatus s)
{
    return s == RUN_TIMEOUT ? V_TIMEOUT : s == RUN_DEADLOCK ? V_DEADLOCK : V_ERROR;
}

static bool line_in(const Expect *e, int line)
{
    for (size_t i = 0; i < e->nlabels; i++)
        if (e->lines[i] == line)
            return true;
    return false;
}

static bool matches(const Finding *f, const Expect *e, const SourceSet *ss)
{
    if (strcmp(f->kind, e->kind) != 0)
        return false;
    if (e->var && (!f->var || strcmp(f->var, e->var) != 0))
        return false;
    if (!e->nlabels)
        return true; /* a finding with no place in the code: explore's wrong answer */
    size_t known = 0;
    for (LocIter it = LOC_ITER(f, ss); loc_next(&it);) {
        if (!it.frame || it.frame->line <= 0)
            continue; /* the compiler lost this line: unknown, not wrong */
        if (!line_in(e, it.frame->line))
            return false;
        known++;
    }
    return known > 0;
}

void match_findings(const Report *r, const ToolExpect *te, const SourceSet *ss, int *finding_match, bool *expect_seen)
{
    for (size_t e = 0; te && e < te->n; e++)
        expect_seen[e] = false;
    for (size_t i = 0; i < r->n; i++) {
        finding_match[i] = -1;
        for (size_t e = 0; te && e < te->n; e++) {
            if (matches(&r->items[i], &te->items[e], ss)) {
                finding_match[i] = (int)e;
                expect_seen[e] = true;
                break;
            }
        }
    }
}

Verdict judge_findings(const RunOutcome *o, const ToolExpect *te, const SourceSet *ss)
{
    if (o->status != RUN_OK)
        return verdict_of_status(o->status);
    const Report *r = &o->report;
    if (!te || te->blind || !te->n)
        return r->n ? V_UNEXPECTED : V_CLEAN;
    int *fm = xcalloc(r->n + 1, sizeof(int));
    bool *seen = xcalloc(te->n, sizeof(bool));
    match_findings(r, te, ss, fm, seen);
    Verdict v = V_DETECTED;
    for (size_t e = 0; e < te->n; e++)
        if (!seen[e])
            v = V_MISSED;
    for (size_t i = 0; i < r->n; i++)
        if (fm[i] < 0)
            v = V_UNEXPECTED; /* worse than missing: it points somewhere else */
    free(fm);
    free(seen);
    return v;
}

static bool has_line(const char *out, const char *want)
{
    size_t wl = strlen(want);
    for (const char *p = out; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        while (len && (p[len - 1] == '\r' || p[len - 1] == ' '))
            len--;
        if (len == wl && !memcmp(p, want, wl))
            return true;
        p = eol ? eol + 1 : NULL;
    }
    return false;
}

/* The last line of out that starts like want (up to its first digit or
 * colon), to show what came instead. */
static char *closest_line(const char *out, const char *want)
{
    size_t prefix = strcspn(want, "0123456789");
    char *best = NULL;
    for (const char *p = out; prefix && p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len >= prefix && !memcmp(p, want, prefix)) {
            free(best);
            best = xstrndup(p, len > 200 ? 200 : len);
        }
        p = eol ? eol + 1 : NULL;
    }
    return best;
}

/* A line of out that starts like one of the wanted lines (its words up
 * to the first digit) but is none of them, or NULL: one answer, not two
 * (a right line printed beside a wrong one does not pass). */
static char *conflicting_line(const char *out, char **wants, size_t n, size_t *which)
{
    for (const char *p = out; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        while (len && (p[len - 1] == '\r' || p[len - 1] == ' '))
            len--;
        bool like = false, same = false;
        for (size_t i = 0; i < n && !same; i++) {
            size_t prefix = strcspn(wants[i], "0123456789"), wl = strlen(wants[i]);
            if (!like && prefix && prefix < wl && len >= prefix && !memcmp(p, wants[i], prefix))
                like = true, *which = i;
            same = len == wl && !memcmp(p, wants[i], wl);
        }
        if (like && !same)
            return xstrndup(p, len > 200 ? 200 : len);
        p = eol ? eol + 1 : NULL;
    }
    return NULL;
}

bool oracle_check(const CaseSpec *spec, const Params *ps, const char *out, char **why)
{
    char **wants = xcalloc(spec->noutputs + 1, sizeof(char *));
    bool ok = true;
    for (size_t i = 0; i < spec->noutputs && ok; i++) {
        char *err = NULL;
        bool optional = spec->outputs[i][0] == '?'; /* a line it may print, beside the answer */
        wants[i] = expr_subst(spec->outputs[i] + optional, ps, &err);
        if (!wants[i]) {
            *why = xasprintf("cannot evaluate output line '%s': %s", spec->outputs[i], err);
            free(err);
            ok = false;
        } else if (!optional && !has_line(out, wants[i])) {
            char *got = closest_line(out, wants[i]);
            *why = got ? xasprintf("expected '%s', got '%s'", wants[i], got)
                       : xasprintf("expected a line '%s'; no such line in the output", wants[i]);
            free(got);
            ok = false;
        }
    }
    size_t which = 0;
    char *other = ok ? conflicting_line(out, wants, spec->noutputs, &which) : NULL;
    if (other) {
        *why = xasprintf("expected '%s', and the output also says '%s'", wants[which], other);
        free(other);
        ok = false;
    }
    for (size_t i = 0; i < spec->noutputs; i++)
        free(wants[i]);
    free(wants);
    return ok;
}

char *expect_describe(const Expect *e)
{
    StrBuf sb = STRBUF_INIT;
    sb_add(&sb, e->kind);
    if (e->var)
        sb_addf(&sb, " '%s'", e->var);
    for (size_t i = 0; i < e->nlabels; i++)
        sb_addf(&sb, "%s@%s (line %d)", i ? ", " : " at ", e->labels[i], e->lines[i]);
    return sb_steal(&sb);
}
