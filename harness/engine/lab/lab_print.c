/* How a lab result reads: the verdict line, then each finding normalised
 * (found, UNEXPECTED or MISSED against the case), and for a hang where
 * each thread is stuck. */
#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "fs.h"
#include "gdb_stacks.h"
#include "lab.h"

static void print_findings(FILE *out, const LabJob *j, const RunOutcome *o, bool verbose)
{
    SourceSet ss = {0};
    sources_add(&ss, j->source);
    const ToolExpect *te = j->variant == VARIANT_BUGGY && j->tool != TOOL_NATIVE ? &j->spec->tools[j->tool] : NULL;
    size_t ne = te ? te->n : 0;
    int *fm = xcalloc(o->report.n + 1, sizeof(int));
    bool *seen = xcalloc(ne + 1, sizeof(bool));
    match_findings(&o->report, te, &ss, fm, seen);
    for (size_t i = 0; i < o->report.n; i++) {
        const Finding *f = &o->report.items[i];
        char *sum = finding_summary(f, &ss);
        fprintf(out, "  %s %s\n", fm[i] >= 0 ? "found     " : "UNEXPECTED", sum);
        free(sum);
        if (verbose || j->tool == TOOL_EXPLORE) /* explore's schedule is the point */
            finding_print(out, f, &ss, "      ");
    }
    for (size_t e = 0; e < ne && o->status == RUN_OK; e++) {
        if (seen[e])
            continue;
        char *d = expect_describe(&te->items[e]);
        fprintf(out, "  MISSED     %s %s\n", tool_name(j->tool), d);
        free(d);
    }
    if (te && te->blind && !o->report.n && o->status == RUN_OK)
        fprintf(out, "  (blind, as expected: %s)\n", te->why);
    free(fm);
    free(seen);
    sources_free(&ss);
}

void lab_print(FILE *out, const LabJob *j, const LabResult *r, bool verbose)
{
    fprintf(out, "%s.%s.%s: %s", j->spec->name, variant_name(j->variant), tool_name(j->tool), verdict_name(r->verdict));
    if (r->pass)
        fprintf(out, " (as expected)");
    else
        fprintf(out, " (expected %s) FAIL", verdict_name(r->expected));
    fprintf(out, "  [%.2f s]\n", r->seconds);
    if (r->note)
        fprintf(out, "  %s\n", r->note);
    if (!r->build.ok || (verbose && r->build.log && *r->build.log))
        fprintf(out, "%s", r->build.log ? r->build.log : "");
    if (j->tool != TOOL_NATIVE && r->nruns)
        print_findings(out, j, &r->runs[0], verbose);
    if (r->nruns && r->runs[0].ended)
        fprintf(out, "  the program %s; the findings decide\n", r->runs[0].ended);
    for (size_t i = 0; i < r->nruns; i++) {
        const RunOutcome *o = &r->runs[i];
        if (o->proc.stacks) {
            char *sum = hang_summary(o->proc.stacks);
            if (sum)
                fprintf(out, "  where each thread is stuck:\n%s", sum);
            free(sum);
            if (verbose || !sum)
                fprintf(out, "  stacks of the hung program (gdb):\n%s", o->proc.stacks);
        }
        if ((verbose || !r->pass) && o->run_dir && file_exists(o->run_dir))
            fprintf(out, "  logs: %s\n", o->run_dir);
        if (verbose && i == 0) {
            fprintf(out, "  stdout:\n%.*s", (int)(o->proc.outlen > 2000 ? 2000 : o->proc.outlen),
                    o->proc.out ? o->proc.out : "");
            if (o->proc.errlen)
                fprintf(out, "  stderr:\n%.*s", (int)(o->proc.errlen > 2000 ? 2000 : o->proc.errlen), o->proc.err);
        }
    }
}
