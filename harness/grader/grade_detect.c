/* One detector's item: the submission under TSan, Helgrind, DRD or
 * memcheck, its findings told to the student with the lines of their
 * file, what each kind means and a hint. A finding the tool is known to
 * make on correct code (toollimits.h) is not counted, and the feedback
 * says which and why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "feedback.h"
#include "fs.h"
#include "grade_internal.h"
#include "judge.h"
#include "text.h"
#include "toollimits.h"
#include "utf8.h"

static const char *tool_title(ToolId t)
{
    static const char *const n[TOOL_COUNT] = {"TSan", "Helgrind", "DRD", "memcheck", "explore", "native"};
    return n[t];
}

char *source_line(Grader *G, int line)
{
    const char *p = G->sub->text, *end = p + G->sub->len;
    for (int l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = (size_t)((nl ? nl : end) - p);
    while (len && (*p == ' ' || *p == '\t'))
        p++, len--;
    return printable(p, len > 120 ? 120 : len);
}

/* One finding: tool, kind, variable, each location as a line of the
 * student's file with its text. */
static void describe_finding(Grader *G, const Finding *f, StrBuf *out)
{
    sb_addf(out, "  %s: %s", tool_title(f->tool), kind_info(f->tool, f->kind).phrase);
    if (f->var) {
        char *v = printable_str(f->var);
        sb_addf(out, " on '%s'", v);
        free(v);
    }
    int *lines = xcalloc(finding_nlocations(f) + 1, sizeof(int));
    size_t nl = 0, shown = 0;
    for (LocIter it = LOC_ITER(f, &G->ss); loc_next(&it);) {
        const Frame *fr = it.frame;
        if (!fr)
            continue;
        if (fr->line > 0)
            sb_addf(out, "%sline %d", shown ? " vs " : " at ", fr->line);
        else
            sb_addf(out, "%san unknown line", shown ? " vs " : " at ");
        if (fr->fn) {
            char *fn = printable_str(fr->fn);
            sb_addf(out, " (in %s)", fn);
            free(fn);
        }
        shown++;
        bool dup = false;
        for (size_t k = 0; k < nl; k++)
            dup = dup || lines[k] == fr->line;
        if (!dup && fr->line > 0)
            lines[nl++] = fr->line;
    }
    if (!shown && f->message) {
        char *m = student_text(G, f->message);
        sb_addf(out, f->tool == TOOL_EXPLORE ? " (%s)" : " (%s; no line of your file in its stacks)", m);
        free(m);
    }
    sb_add(out, "\n");
    for (size_t k = 0; k < nl; k++) {
        char *t = source_line(G, lines[k]);
        sb_addf(out, "      %4d | %s\n", lines[k], t);
        free(t);
    }
    free(lines);
}

void describe_report(Grader *G, const Report *rep, StrBuf *out, const char *item_name, const bool *skip)
{
    size_t shown = 0, counted = 0;
    for (size_t i = 0; i < rep->n; i++) {
        if (skip && skip[i])
            continue;
        counted++;
        if (shown < SHOWN_FINDINGS)
            describe_finding(G, &rep->items[i], out), shown++;
    }
    if (counted > shown)
        sb_addf(out, "  ... and %zu more\n", counted - shown);
    /* what each category among them means, and a hint: once per grade; a
     * later item points back to the first */
    bool here[CAT_COUNT] = {false};
    for (size_t i = 0; i < rep->n; i++) {
        if (skip && skip[i])
            continue;
        Category c = finding_category(&rep->items[i]);
        if (here[c])
            continue;
        here[c] = true;
        if (G->explained[c]) {
            if (strcmp(G->explained[c], item_name) != 0)
                sb_addf(out, "  What it means, and a hint: as under '%s'.\n", G->explained[c]);
            continue;
        }
        G->explained[c] = item_name;
        sb_addf(out, "  What it means: %s\n", feedback_explain(c));
        sb_addf(out, "  Hint: %s\n", feedback_hint(G->o->spec->klass, c));
    }
}

/* A wrong answer under a detector is a wrong answer: the explore item
 * (right answers) fails too, if nothing failed it yet. */
static void answer_under(Grader *G, ToolId tool, const RunOutcome *o, const Params *ps, const char *pt)
{
    char *why = NULL;
    if (o->status != RUN_OK || oracle_check(G->o->spec, ps, o->proc.out, &why))
        return;
    if (item(G, ITEM_EXPLORE)->status != IS_FAILED && item(G, ITEM_EXPLORE)->status != IS_NA) {
        char *w = student_text(G, why);
        set_item(G, ITEM_EXPLORE, IS_FAILED, "wrong under %s with inputs %s", tool_title(tool), pt);
        sb_addf(&item(G, ITEM_EXPLORE)->detail, "  Under %s, inputs %s: %s\n  Hint: %s\n", tool_title(tool), pt, w,
                feedback_wrong_answer_hint(G->o->spec->klass));
        free(w);
    }
    free(why);
}

/* The findings a tool is known to make on correct code, not counted:
 * only where TSan ran on this submission and is clean there (no cheat
 * blinded it: a cheat scores 0 anyway), and only atomics that take part
 * in the program (its explore build performs atomic operations). */
static size_t limitations(Grader *G, const Report *rep, bool *skip, StrBuf *note)
{
    LimitContext cx = {.ss = &G->ss, .atomics = G->uses_atomics};
    memcpy(cx.decided, G->decided, sizeof cx.decided);
    size_t n = 0;
    for (size_t i = 0; i < rep->n; i++) {
        const char *why = finding_limitation(&rep->items[i], &cx);
        if (!why)
            continue;
        skip[i] = true;
        n++;
        sb_addf(note, "  Not counted (a known limitation of %s): %s\n", tool_title(rep->items[i].tool), why);
        describe_finding(G, &rep->items[i], note);
    }
    return n;
}

void detector(Grader *G, ToolId tool, ItemId id)
{
    const BuildResult *b = &G->builds[tool == TOOL_TSAN ? BUILD_TSAN : BUILD_NATIVE];
    Params ps = grade_draw(G, true);
    char *pt = params_text(&ps);
    sb_addf(&G->runs_text, "%s: %s\n", tool_name(tool), pt);
    StrVec args = STRVEC_INIT;
    spec_args(&ps, &args);
    RunOptions ro = grade_run_options(G, tool == TOOL_TSAN ? TSAN_TIMEOUT : VALGRIND_TIMEOUT);
    RunOutcome *o = &G->detector_runs[tool];
    run_tool(tool, b->exe, &args, &ro, &G->ss, o);
    grade_check_run_dir(G, o);
    GradeItem *c = item(G, id);
    if (o->status == RUN_TIMEOUT || o->status == RUN_DEADLOCK) {
        char *e = student_text(G, o->error);
        G->stuck = true;
        set_item(G, id, IS_FAILED, "did not finish under %s (inputs %s)", tool_title(tool), pt);
        sb_addf(&c->detail, "  %s\n", e);
        free(e);
    } else if (o->status != RUN_OK) {
        set_item(G, id, IS_FAILED, "%s could not check it (inputs %s)", tool_title(tool), pt);
        describe_run_error(G, o, &c->detail);
        if (o->report.n)
            describe_report(G, &o->report, &c->detail, item_name(id), NULL);
    } else {
        G->decided[tool] = &o->report;
        answer_under(G, tool, o, &ps, pt);
        bool *skip = xcalloc(o->report.n + 1, sizeof(bool));
        StrBuf note = STRBUF_INIT;
        size_t lim = limitations(G, &o->report, skip, &note);
        size_t counted = o->report.n - lim;
        if (!o->report.n) {
            set_item(G, id, IS_PASSED, "no findings (inputs %s)", pt);
        } else if (!counted) {
            set_item(G, id, IS_PASSED, "%zu finding%s, none counted: known limitations of %s", lim,
                     lim == 1 ? "" : "s", tool_title(tool));
        } else {
            set_item(G, id, IS_FAILED, "%zu finding%s (inputs %s)", counted, counted == 1 ? "" : "s", pt);
            describe_report(G, &o->report, &c->detail, item_name(id), skip);
        }
        if (lim) {
            sb_add(&c->detail, note.buf);
            char *p = xasprintf("%s%s%s: %zu finding%s not counted (known tool limitations, shown under the item)",
                                G->g->policy ? G->g->policy : "", G->g->policy ? "; " : "", tool_title(tool), lim,
                                lim == 1 ? "" : "s");
            free(G->g->policy);
            G->g->policy = p;
        }
        sb_free(&note);
        free(skip);
    }
    if (o->run_dir && !G->o->keep)
        remove_tree(o->run_dir);
    grade_run_options_free(&ro);
    strvec_clear(&args);
    params_free(&ps);
    free(pt);
}
