/* `racelab check`'s text output: one block per tool, the verdict line. */
#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "check_cli.h"
#include "gdb_stacks.h"

static void print_tool(const CheckRun *r, const ToolResult *tr, bool quiet)
{
    const Report *rep = &tr->run.report;
    if (tr->error) {
        const char *what = !tr->ran                         ? "UNDECIDED"
                           : tr->run.status == RUN_TIMEOUT  ? "TIMEOUT"
                           : tr->run.status == RUN_DEADLOCK ? "DEADLOCK"
                                                            : "UNDECIDED";
        printf("%s: %s: %s  [%.2f s]\n", tool_name(tr->tool), what, tr->error, tr->seconds);
        if (tr->ran && tr->run.proc.stacks) {
            char *sum = hang_summary(tr->run.proc.stacks);
            if (sum)
                printf("  where each thread is stuck:\n%s", sum);
            if (!quiet || !sum)
                printf("  stacks of the hung program (gdb):\n%s", tr->run.proc.stacks);
            free(sum);
        }
        if (tr->ran && tr->run.run_dir)
            printf("  logs: %s\n", tr->run.run_dir);
    } else if (!quiet || tr->nnew) {
        bool by_search = tr->systematic_ran && tr->sys.verdict == SYS_FOUND;
        char *schedules = tr->tool != TOOL_EXPLORE ? xstrdup("")
                          : by_search ? xasprintf(" (bounded search, schedule %d)", tr->explored)
                          : rep->n    ? xasprintf(" (schedule %d, seed %llu)", tr->explored, tr->run.seed)
                                   : xasprintf(" in %d schedule%s%s", tr->explored, tr->explored == 1 ? "" : "s",
                                               tr->explore_budget_hit ? " (the time budget ran out)" : "");
        if (!rep->n)
            printf("%s: clean%s  [%.2f s]\n", tool_name(tr->tool), schedules, tr->seconds);
        else if (tr->nlimits)
            printf("%s: %zu finding%s, %zu new, %zu known tool limitation%s  [%.2f s]\n", tool_name(tr->tool), rep->n,
                   rep->n == 1 ? "" : "s", tr->nnew, tr->nlimits, tr->nlimits == 1 ? "" : "s", tr->seconds);
        else
            printf("%s: %zu finding%s, %zu new%s  [%.2f s]\n", tool_name(tr->tool), rep->n, rep->n == 1 ? "" : "s",
                   tr->nnew, schedules, tr->seconds);
        free(schedules);
        if (tr->sys_text)
            printf("  bounded search: %s\n", tr->sys_text);
        if (tr->tool == TOOL_EXPLORE && rep->incomplete)
            printf("  no tool limitation is dismissed on its evidence: %s\n", rep->incomplete);
        if (tr->run.ended)
            printf("  the program %s; the findings decide\n", tr->run.ended);
    }
    bool strict = r->opt->strict;
    for (size_t i = 0; i < rep->n; i++) {
        bool counted = check_is_new(tr, i, strict);
        if (quiet && !counted)
            continue;
        if (tr->limitation[i]) {
            printf("  %s\n", strict ? "NEW (a known tool limitation, counted: --strict):"
                                    : "TOOL LIMITATION (not counted; --strict counts it):");
            printf("    %s\n", tr->limitation[i]);
        } else {
            printf("  %s\n", counted ? "NEW:" : "baselined:");
        }
        finding_print(stdout, &rep->items[i], &r->ss, "    ");
    }
}

void print_run(const CheckRun *r, bool quiet)
{
    const CheckOptions *o = r->opt;
    if (!quiet) {
        printf("racelab check %s:", r->name);
        for (int t = 0; t < DETECTOR_COUNT; t++)
            if (o->tools & (1u << t))
                printf(" %s", tool_name((ToolId)t));
        printf("\n");
        for (int t = 0; t < DETECTOR_COUNT; t++) {
            const StrVec *passed = &o->tool_opts[t];
            if (!(o->tools & (1u << t)) || !passed->n)
                continue;
            char *list = strvec_join_quoted(passed);
            printf("%s options: %s\n", tool_name((ToolId)t), list);
            free(list);
        }
    }
    for (int t = 0; t < DETECTOR_COUNT; t++)
        if (o->skipped & (1u << t))
            printf("%s: skipped: %s is %sTSan-instrumented\n", tool_name((ToolId)t), o->exe,
                   t == TOOL_TSAN ? "not " : "");
    for (size_t i = 0; i < r->nresults; i++) {
        if (r->results[i].ran && r->results[i].run.unbounded) {
            printf("note: %s\n", r->results[i].run.unbounded); /* once: the same for every run */
            break;
        }
    }
    /* A compile error is shown once, whichever tools needed the build. */
    for (int k = 0; k < 2; k++) {
        if (r->tried[k] && !r->builds[k].ok) {
            char *why = check_build_failure(r, (BuildKind)k);
            printf("%s:\n%s", why, r->builds[k].log ? r->builds[k].log : "");
            free(why);
        }
    }
    for (size_t i = 0; i < r->nresults; i++)
        print_tool(r, &r->results[i], quiet);
}

/* Entries of tools that ran and decided, matched by nothing: fixed, or
 * gone for now. A tool that could not decide says nothing about them. */
void print_stale(const Baseline *b, const CheckRun *r)
{
    unsigned decided = 0;
    for (size_t i = 0; i < r->nresults; i++)
        if (!r->results[i].error)
            decided |= 1u << r->results[i].tool;
    size_t stale = 0;
    for (size_t i = 0; i < b->n; i++) {
        ToolId t;
        bool ran = tool_from_name(b->items[i].tool, &t) && (decided & (1u << t));
        if (ran && b->items[i].seen < b->items[i].count)
            stale++;
    }
    if (stale)
        printf("note: %zu baselined finding%s did not show up (fixed?); --update-baseline drops them\n", stale,
               stale == 1 ? "" : "s");
}

void verdict_line(const CheckRun *r, int code, bool updated)
{
    printf("racelab check %s: %s", r->name, check_outcome_name(code));
    if (updated)
        printf(": baseline updated");
    else if (r->nundecided)
        printf(": %zu tool%s could not decide, %zu new finding%s", r->nundecided, r->nundecided == 1 ? "" : "s",
               r->nnew, r->nnew == 1 ? "" : "s");
    else
        printf(": %zu new finding%s", r->nnew, r->nnew == 1 ? "" : "s");
    if (r->nbaselined && !updated)
        printf(", %zu baselined", r->nbaselined);
    if (r->nlimits && !updated)
        printf(", %zu known tool limitation%s (%s)", r->nlimits, r->nlimits == 1 ? "" : "s",
               r->opt->strict ? "counted: --strict" : "not counted");
    printf(" (exit %d)\n", code);
}
