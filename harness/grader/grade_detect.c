/* One detector's check: the submission under TSan, Helgrind, DRD or
 * memcheck, its findings told to the student with the lines of their file,
 * what each kind means and a hint. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "feedback.h"
#include "grade_internal.h"
#include "text.h"
#include "utf8.h"

/* ---- detectors ---- */

static const char *tool_title(ToolId t)
{
    static const char *const n[] = {"TSan", "Helgrind", "DRD", "memcheck", "native"};
    return n[t];
}

static char *source_line(Grader *G, int line)
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
    if (f->var)
        sb_addf(out, " on '%s'", f->var);
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
        if (fr->fn)
            sb_addf(out, " (in %s)", fr->fn);
        shown++;
        bool dup = false;
        for (size_t k = 0; k < nl; k++)
            dup = dup || lines[k] == fr->line;
        if (!dup && fr->line > 0)
            lines[nl++] = fr->line;
    }
    if (!shown && f->message) {
        char *m = printable_str(f->message);
        sb_addf(out, " (%s; no line of your file in its stacks)", m);
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

/* The findings (the first few), then what each category among them means
 * and a hint: once per grade; a later check points back to the first. */
static void describe_report(Grader *G, const Report *rep, StrBuf *out, const char *check)
{
    for (size_t i = 0; i < rep->n; i++) {
        if (i < SHOWN_FINDINGS)
            describe_finding(G, &rep->items[i], out);
        else if (i == SHOWN_FINDINGS)
            sb_addf(out, "  ... and %zu more\n", rep->n - SHOWN_FINDINGS);
    }
    bool here[CAT_COUNT] = {false};
    for (size_t i = 0; i < rep->n; i++) {
        Category c = finding_category(&rep->items[i]);
        if (here[c])
            continue;
        here[c] = true;
        if (G->explained[c]) {
            if (strcmp(G->explained[c], check) != 0)
                sb_addf(out, "  What it means, and a hint: as under '%s'.\n", G->explained[c]);
            continue;
        }
        G->explained[c] = check;
        sb_addf(out, "  What it means: %s\n", feedback_explain(c));
        sb_addf(out, "  Hint: %s\n", feedback_hint(G->o->spec->klass, c));
    }
}

void detector(Grader *G, ToolId tool, ItemId id, bool tsan_clean)
{
    Params ps = grade_draw(G, true);
    char *pt = params_text(&ps);
    sb_addf(&G->runs_text, "%s: %s\n", tool_name(tool), pt);
    LabResult r;
    run_job(G, tool, &ps, &r);
    GradeItem *c = item(G, id);
    if (tool == TOOL_TSAN)
        judge_build(G, &r.build, "clang -fsanitize=thread");
    if (!r.build.ok) {
        set_item(G, id, IS_FAILED, "could not be built for %s", tool_title(tool));
    } else if (r.nruns) {
        const RunOutcome *o = &r.runs[0];
        char *where = xasprintf("under %s (%s)", tool_title(tool), pt);
        if (o->wrong_answer) /* lab_run checked the answer of every finished run */
            answer_bad(G, where, o->wrong_answer, true);
        G->answer_runs += o->answer_checked;
        bool races_only = o->report.n > 0;
        for (size_t i = 0; i < o->report.n; i++)
            races_only = races_only && finding_category(&o->report.items[i]) == CAT_RACE;
        if (o->status == RUN_TIMEOUT || o->status == RUN_DEADLOCK) {
            G->hung = true;
            sb_addf(&item(G, ITEM_TIME)->detail, "  %s: %s\n", where, o->error);
            set_item(G, id, IS_FAILED, "did not finish under %s", tool_title(tool));
        } else if (o->status != RUN_OK) {
            char *e = printable(o->error, strlen(o->error));
            set_item(G, id, IS_FAILED, "%s could not check it: %s", tool_title(tool), e);
            free(e);
        } else if (!o->report.n) {
            set_item(G, id, IS_PASSED, "no findings");
        } else if (races_only && tool != TOOL_TSAN && tsan_clean && G->g->facts.uses_atomics && !G->answer_bad) {
            /* the policy on a tool's limits (docs/grade.md) */
            set_item(G, id, IS_PASSED, "%zu race report%s not counted: a tool limitation with C11 atomics", o->report.n,
                     o->report.n == 1 ? "" : "s");
            sb_addf(&c->detail,
                    "  Not counted: %s does not understand C11 atomics (acquire/release), so it "
                    "reports races on the data they publish. TSan, which does, found none, and every answer "
                    "was right.\n",
                    tool_title(tool));
            describe_report(G, &o->report, &c->detail, item_name(id));
            free(G->g->policy);
            G->g->policy = xstrdup(
                "Helgrind/DRD race reports not counted: the program uses C11 atomics, "
                "TSan is clean and every answer is right");
        } else {
            set_item(G, id, IS_FAILED, "%zu finding%s", o->report.n, o->report.n == 1 ? "" : "s");
            describe_report(G, &o->report, &c->detail, item_name(id));
        }
        free(where);
    }
    lab_result_free(&r);
    params_free(&ps);
    free(pt);
}
