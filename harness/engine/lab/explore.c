#include "explore.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "measure.h"

void explore_check_answer(RunOutcome *o, ExploreOracle oracle, void *ctx)
{
    if (o->status != RUN_OK || !oracle || o->proc.status != PROC_EXITED || o->proc.code != 0)
        return;
    char *why = NULL;
    o->answer_checked = true;
    if (!oracle(o, ctx, &why)) {
        o->wrong_answer = why;
        Finding *f = report_add(&o->report, TOOL_EXPLORE, "wrong-answer");
        f->message = xstrdup(why);
    } else {
        free(why);
    }
}

/* The trace of a schedule that is shown, on the run and its findings. */
void explore_attach_trace(RunOutcome *o, const char *exe)
{
    free(o->trace);
    o->trace = run_explore_trace(o, exe);
    for (size_t i = 0; i < o->report.n; i++)
        if (!o->report.items[i].detail)
            o->report.items[i].detail = xstrdup(o->trace);
}

void explore_loop(const char *exe, const StrVec *args, const RunOptions *opt, const ExploreLoop *l, const SourceSet *ss,
                  ExploreResult *res)
{
    memset(res, 0, sizeof *res);
    double t0 = now_seconds();
    bool have = false;
    Report evidence; /* every schedule's, for the tool-limitation policy */
    report_init(&evidence);
    for (int i = 0; i < l->seeds; i++) {
        if (l->budget > 0 && i > 0 && now_seconds() - t0 > l->budget) {
            res->budget_hit = true;
            break;
        }
        RunOptions ro = *opt;
        ro.seed = l->first_seed + (unsigned long long)i;
        RunOutcome o;
        run_tool(TOOL_EXPLORE, exe, args, &ro, ss, &o);
        res->runs++;
        bool failing = false;
        if (o.status != RUN_OK)
            res->undecided = true;
        explore_check_answer(&o, l->oracle, l->oracle_ctx);
        report_take_evidence(&evidence, &o.report);
        failing = o.status == RUN_OK && o.report.n > 0;
        if (l->each)
            l->each(&o, failing, l->each_ctx);
        bool shown_before = have && (res->run.status != RUN_OK || res->run.report.n > 0);
        if ((failing || o.status != RUN_OK) && !shown_before && o.run_dir)
            explore_attach_trace(&o, exe);
        if (failing) {
            res->failing++;
            for (size_t k = 0; l->replay && k < o.report.n; k++)
                o.report.items[k].replay = xasprintf(l->replay, ro.seed);
        }
        /* res->run shows the first failing or undecided schedule, else the last one */
        bool have_notable = have && (res->run.status != RUN_OK || res->run.report.n > 0);
        RunOutcome *drop = have_notable ? &o : have ? &res->run : NULL;
        if (drop) {
            if (!opt->keep_run_dir && drop->run_dir)
                remove_tree(drop->run_dir);
            run_outcome_free(drop);
        }
        if (!have_notable) {
            res->run = o;
            have = true;
        }
        if (res->undecided || (failing && !l->all))
            break;
    }
    if (have)
        report_take_evidence(&res->run.report, &evidence);
    report_free(&evidence);
    res->seconds = now_seconds() - t0;
}

void explore_result_free(ExploreResult *res)
{
    run_outcome_free(&res->run);
    memset(res, 0, sizeof *res);
}
