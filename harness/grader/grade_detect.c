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
#include "toollimits.h"

/* A wrong answer under a detector is a wrong answer: the explore item
 * (right answers) fails too, if nothing failed it yet (the hub sees to
 * that). */
static void answer_under(const GradeEnv *env, ToolId tool, const RunOutcome *o, const Params *ps, const char *pt,
                         DetectPhase *out)
{
    char *why = NULL;
    if (o->status != RUN_OK || oracle_check(env->o->spec, ps, o->proc.out, &why))
        return;
    char *w = student_text(env, why);
    out->wrong_summary = xasprintf("wrong under %s with inputs %s", tool_title(tool), pt);
    out->wrong_detail = xasprintf("  Under %s, inputs %s: %s\n  Hint: %s\n", tool_title(tool), pt, w,
                                  feedback_wrong_answer_hint(env->o->spec->klass));
    free(w);
    free(why);
}

/* The findings a tool is known to make on correct code, not counted:
 * only where TSan ran on this submission and is clean there (no cheat
 * blinded it: a cheat scores 0 anyway), and only atomics that take part
 * in the program (its explore build performs atomic operations). */
static size_t limitations(const GradeEnv *env, const LimitContext *cx, const Report *rep, bool *skip, StrBuf *note)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->n; i++) {
        const char *why = finding_limitation(&rep->items[i], cx);
        if (!why)
            continue;
        skip[i] = true;
        n++;
        sb_addf(note, "  Not counted (a known limitation of %s): %s\n", tool_title(rep->items[i].tool), why);
        describe_finding(env, &rep->items[i], note);
    }
    return n;
}

/* A run that finished: its findings, less the known limitations. */
static void count_findings(const GradeEnv *env, const BuildPhase *b, ToolId tool, ItemId id,
                           const Report *const decided[DETECTOR_COUNT], const char *pt, Explained *ex, DetectPhase *out)
{
    const RunOutcome *o = &out->run;
    GradeItem *c = &out->item;
    LimitContext cx = {.ss = &env->ss, .atomics = b->uses_atomics};
    memcpy(cx.decided, decided, sizeof cx.decided);
    cx.decided[tool] = &o->report;
    bool *skip = xcalloc(o->report.n + 1, sizeof(bool));
    StrBuf note = STRBUF_INIT;
    size_t lim = limitations(env, &cx, &o->report, skip, &note);
    size_t counted = o->report.n - lim;
    if (!o->report.n) {
        item_set(c, IS_PASSED, "no findings (inputs %s)", pt);
    } else if (!counted) {
        item_set(c, IS_PASSED, "%zu finding%s, none counted: known limitations of %s", lim, lim == 1 ? "" : "s",
                 tool_title(tool));
    } else {
        item_set(c, IS_FAILED, "%zu finding%s (inputs %s)", counted, counted == 1 ? "" : "s", pt);
        describe_report(env, &o->report, &c->detail, item_name(id), skip, ex);
    }
    if (lim) {
        sb_add(&c->detail, note.buf);
        out->policy = xasprintf("%s: %zu finding%s not counted (known tool limitations, shown under the item)",
                                tool_title(tool), lim, lim == 1 ? "" : "s");
    }
    sb_free(&note);
    free(skip);
}

void detect_phase(GradeEnv *env, const BuildPhase *b, ToolId tool, ItemId id,
                  const Report *const decided[DETECTOR_COUNT], Explained *ex, DetectPhase *out)
{
    memset(out, 0, sizeof *out);
    out->item = grade_item_new();
    sb_init(&out->runs);
    const BuildResult *build = &b->builds[tool == TOOL_TSAN ? BUILD_TSAN : BUILD_NATIVE];
    Params ps = grade_draw(env, true);
    char *pt = params_text(&ps);
    sb_addf(&out->runs, "%s: %s\n", tool_name(tool), pt);
    StrVec args = STRVEC_INIT;
    spec_args(&ps, &args);
    RunOptions ro = grade_run_options(env, tool == TOOL_TSAN ? TSAN_TIMEOUT : VALGRIND_TIMEOUT);
    RunOutcome *o = &out->run;
    run_tool(tool, build->exe, &args, &ro, &env->ss, o);
    grade_check_run_dir(o, &out->cheats);
    GradeItem *c = &out->item;
    if (o->status == RUN_TIMEOUT || o->status == RUN_DEADLOCK) {
        char *e = student_text(env, o->error);
        out->stuck = true;
        item_set(c, IS_FAILED, "did not finish under %s (inputs %s)", tool_title(tool), pt);
        sb_addf(&c->detail, "  %s\n", e);
        free(e);
    } else if (o->status != RUN_OK) {
        item_set(c, IS_FAILED, "%s could not check it (inputs %s)", tool_title(tool), pt);
        describe_run_error(env, o, &c->detail);
        if (o->report.n)
            describe_report(env, &o->report, &c->detail, item_name(id), NULL, ex);
    } else {
        out->decided = true;
        answer_under(env, tool, o, &ps, pt, out);
        count_findings(env, b, tool, id, decided, pt, ex, out);
    }
    if (o->run_dir && !env->o->keep)
        remove_tree(o->run_dir);
    grade_run_options_free(&ro);
    strvec_clear(&args);
    params_free(&ps);
    free(pt);
}

void detect_phase_free(DetectPhase *d)
{
    grade_item_free(&d->item);
    cheats_free(&d->cheats);
    sb_free(&d->runs);
    free(d->wrong_summary), free(d->wrong_detail), free(d->policy);
}
