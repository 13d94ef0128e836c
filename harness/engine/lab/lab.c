#include "lab.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "explore.h"
#include "fs.h"
#include "gdb_stacks.h"
#include "measure.h"
#include "strbuf.h"
#include "strvec.h"
#include "systematic.h"
#include "toollimits.h"

#define NATIVE_RUNS_BUGGY 5
#define NATIVE_RUNS_FIXED 3
#define HANG_TIMEOUT 3.0

void lab_result_free(LabResult *r)
{
    build_result_free(&r->build);
    for (size_t i = 0; i < r->nruns; i++)
        run_outcome_free(&r->runs[i]);
    free(r->runs);
    free(r->note);
    memset(r, 0, sizeof *r);
}

static RunOutcome *new_run(LabResult *r)
{
    r->runs = xrealloc(r->runs, (r->nruns + 1) * sizeof(RunOutcome));
    return &r->runs[r->nruns++];
}

static void set_note(LabResult *r, char *note)
{
    free(r->note);
    r->note = note;
}

static void run_once(const LabJob *j, LabResult *r, ToolId tool, const Params *ps, const char *extra, double timeout,
                     const SourceSet *ss)
{
    StrVec args = STRVEC_INIT;
    spec_args(ps, &args);
    if (extra)
        strvec_push(&args, extra);
    RunOptions ro = *j->run;
    if (timeout > 0)
        ro.timeout = timeout;
    /* the lab's own -O0 builds inline nothing: no inline info to read */
    ro.no_inline_info = !j->cflags || !j->cflags->n;
    run_tool(tool, r->build.exe, &args, &ro, ss, new_run(r));
    strvec_clear(&args);
}

/* Checks a finished run's output against the case's oracle and records
 * the result on the run; true when the answer is right. */
static bool check_answer(const CaseSpec *s, const Params *ps, RunOutcome *o)
{
    o->answer_checked = true;
    return oracle_check(s, ps, o->proc.out, &o->wrong_answer);
}

/* A detector run: its findings against the case (buggy) or against
 * nothing (fixed, which must also print the right answer). */
static void judge_detector(const LabJob *j, LabResult *r, const SourceSet *ss)
{
    const Params *ps = j->params ? j->params : &j->spec->params;
    run_once(j, r, j->tool, ps, NULL, 0, ss);
    RunOutcome *o = &r->runs[0];
    const ToolExpect *te = j->variant == VARIANT_BUGGY ? &j->spec->tools[j->tool] : NULL;
    r->verdict = judge_findings(o, te, ss);
    if (o->error)
        set_note(r, xstrdup(o->error));
    /* Checked even when there are findings: grade scores the answer apart. */
    if (j->variant == VARIANT_FIXED && o->status == RUN_OK && !check_answer(j->spec, ps, o) && r->verdict == V_CLEAN) {
        r->verdict = V_WRONG_ANSWER;
        set_note(r, xstrdup(o->wrong_answer));
    }
}

typedef struct {
    const CaseSpec *spec;
    const Params *ps;
} Answer;

static bool right_answer(RunOutcome *o, void *ctx, char **why)
{
    const Answer *a = ctx;
    return oracle_check(a->spec, a->ps, o->proc.out, why);
}

/* Schedules, one per seed: a buggy program until one shows its bug (its
 * findings must be the case's explore: ones), a fixed one in all of them
 * (no finding, the right answer every time). */
/* A fixed program runs every one of its seeds: 20 in a lab test (the lab
 * has 15 such cells; `racelab measure` runs 200 to 1,000), --seeds more. */
#define LAB_FIXED_SEEDS 20

/* "threads=2 iters=3" */
static char *inputs_text(const Params *ps)
{
    StrBuf sb = STRBUF_INIT;
    sb_add(&sb, "");
    for (size_t i = 0; i < ps->n; i++)
        sb_addf(&sb, "%s%s=%lld", i ? " " : "", ps->items[i].name, ps->items[i].value);
    return sb_steal(&sb);
}

/* The bounded search (or one schedule of it), at the case's verify:
 * inputs: a fixed program verified within the bound, a buggy one found
 * at the fewest preemptions. */
static void judge_systematic(const LabJob *j, LabResult *r, const SourceSet *ss)
{
    Params vp = spec_verify_params(j->spec);
    const Params *ps = j->params ? j->params : &vp;
    StrVec args = STRVEC_INIT;
    spec_args(ps, &args);
    Answer a = {j->spec, ps};
    RunOutcome *o = new_run(r);
    if (j->schedule) {
        systematic_replay(r->build.exe, &args, j->run, j->schedule, ss, right_answer, &a, o);
        r->explored = 1;
        if (o->error)
            set_note(r, xstrdup(o->error));
        else
            set_note(r, xasprintf("schedule '%s'", j->schedule));
    } else {
        char *replay = xasprintf("racelab run %s %s explore --schedule '%%s'", j->spec->name, variant_name(j->variant));
        SystematicSpec sp = {.max_bound = j->bound,
                             .max_runs = j->seeds > 0 ? j->seeds : SYSTEMATIC_DEFAULT_RUNS,
                             .oracle = right_answer,
                             .oracle_ctx = &a,
                             .replay = replay};
        SystematicResult sr;
        systematic_search(r->build.exe, &args, j->run, &sp, ss, &sr);
        *o = sr.run;
        memset(&sr.run, 0, sizeof sr.run);
        r->explored = sr.runs;
        r->explore_failing = sr.verdict == SYS_FOUND;
        char *pt = inputs_text(ps);
        char *v = systematic_verdict_text(&sr, sources_use_atomics(ss));
        set_note(r, xasprintf("%s (inputs %s)", v, pt));
        free(v), free(pt), free(replay);
        bool whole = sr.verdict == SYS_VERIFIED || sr.verdict == SYS_EXHAUSTIVE || sr.verdict == SYS_FOUND;
        if (!whole && !o->error)
            run_fail(o, RUN_ERROR, "the bounded search did not finish: %s", r->note);
        systematic_result_free(&sr);
    }
    strvec_clear(&args);
    params_free(&vp);
    const ToolExpect *te = j->variant == VARIANT_BUGGY ? &j->spec->tools[TOOL_EXPLORE] : NULL;
    r->verdict = judge_findings(o, te, ss);
    bool only_answers = o->report.n > 0;
    for (size_t i = 0; i < o->report.n; i++)
        only_answers = only_answers && !strcmp(o->report.items[i].kind, "wrong-answer");
    if (j->variant == VARIANT_FIXED && r->verdict == V_UNEXPECTED && only_answers)
        r->verdict = V_WRONG_ANSWER;
}

static void judge_explore(const LabJob *j, LabResult *r, const SourceSet *ss)
{
    if (j->systematic || j->schedule) {
        judge_systematic(j, r, ss);
        return;
    }
    const Params *ps = j->params ? j->params : &j->spec->params;
    StrVec args = STRVEC_INIT;
    spec_args(ps, &args);
    Answer a = {j->spec, ps};
    char *replay = xasprintf("racelab run %s %s explore --seed %%llu", j->spec->name, variant_name(j->variant));
    ExploreLoop l = {.first_seed = j->first_seed ? j->first_seed : 1,
                     .seeds = j->replay                    ? 1
                              : j->seeds > 0               ? j->seeds
                              : j->variant == VARIANT_FIXED ? LAB_FIXED_SEEDS
                                                           : EXPLORE_DEFAULT_SEEDS,
                     .all = j->variant == VARIANT_FIXED,
                     .oracle = right_answer,
                     .oracle_ctx = &a,
                     .replay = replay};
    ExploreResult er;
    explore_loop(r->build.exe, &args, j->run, &l, ss, &er);
    strvec_clear(&args);
    free(replay);
    r->explored = er.runs;
    r->explore_failing = er.failing;
    RunOutcome *o = new_run(r);
    *o = er.run;
    memset(&er.run, 0, sizeof er.run);
    const ToolExpect *te = j->variant == VARIANT_BUGGY ? &j->spec->tools[TOOL_EXPLORE] : NULL;
    r->verdict = judge_findings(o, te, ss);
    bool only_answers = o->report.n > 0;
    for (size_t i = 0; i < o->report.n; i++)
        only_answers = only_answers && !strcmp(o->report.items[i].kind, "wrong-answer");
    if (j->variant == VARIANT_FIXED && r->verdict == V_UNEXPECTED && only_answers)
        r->verdict = V_WRONG_ANSWER;
    unsigned long long last = l.first_seed + (unsigned long long)er.runs - 1;
    if (o->error)
        set_note(r, xasprintf("seed %llu: %s", o->seed, o->error));
    else if (o->report.n)
        set_note(r, xasprintf("schedule %d of %d (seed %llu) shows it%s", er.runs, l.seeds, o->seed,
                              o->replays_exactly ? "" : "; a thread ran outside the schedule: the replay may differ"));
    else
        set_note(r, xasprintf("clean in %d schedule%s (seeds %llu..%llu)", er.runs, er.runs == 1 ? "" : "s",
                              l.first_seed, last));
}

/* The case's `native: deadlock with ARG` run: short limit, stacks on a hang. */
static RunOutcome *run_hang_trigger(const LabJob *j, LabResult *r, const SourceSet *ss)
{
    RunOptions ro = *j->run;
    ro.dump_stacks = true;
    LabJob jj = *j;
    jj.run = &ro;
    run_once(&jj, r, TOOL_NATIVE, &j->spec->params, j->spec->native_arg,
             j->hang_timeout > 0 ? j->hang_timeout : HANG_TIMEOUT, ss);
    return &r->runs[r->nruns - 1];
}

/* Native runs: the fixed program must be right every time; the buggy one
 * is measured (how often the answer is wrong), or must deadlock. */
static void judge_native(const LabJob *j, LabResult *r, const SourceSet *ss)
{
    const CaseSpec *s = j->spec;
    const Params *ps = j->stress ? j->stress : &s->stress;
    if (j->variant == VARIANT_BUGGY && s->native == NATIVE_DEADLOCK) {
        RunOutcome *o = run_hang_trigger(j, r, ss);
        r->verdict = o->status == RUN_OK ? V_CLEAN : verdict_of_status(o->status);
        set_note(r, o->error ? xstrdup(o->error) : xasprintf("finished: with %s it did not deadlock", s->native_arg));
        return;
    }
    int n = j->native_runs > 0 ? j->native_runs : j->variant == VARIANT_BUGGY ? NATIVE_RUNS_BUGGY : NATIVE_RUNS_FIXED;
    char *first_why = NULL;
    r->verdict = j->variant == VARIANT_BUGGY ? V_MEASURED : V_CLEAN;
    for (int i = 0; i < n; i++) {
        run_once(j, r, TOOL_NATIVE, ps, NULL, 0, ss);
        RunOutcome *o = &r->runs[r->nruns - 1];
        if (o->status != RUN_OK) {
            r->verdict = verdict_of_status(o->status);
            set_note(r, xasprintf("run %d of %d: %s", i + 1, n, o->error));
            free(first_why);
            return;
        }
        if (!check_answer(s, ps, o)) {
            r->bad_runs++;
            if (!first_why)
                first_why = xstrdup(o->wrong_answer);
        }
    }
    /* The fixed program must also survive the buggy one's hang trigger. */
    if (j->variant == VARIANT_FIXED && s->native == NATIVE_DEADLOCK) {
        RunOutcome *o = run_hang_trigger(j, r, ss);
        if (o->status != RUN_OK) {
            r->verdict = verdict_of_status(o->status);
            set_note(r, xasprintf("with %s: %s", s->native_arg, o->error));
            free(first_why);
            return;
        }
        n++;
    }
    if (j->variant == VARIANT_FIXED) {
        if (r->bad_runs) {
            r->verdict = V_WRONG_ANSWER;
            set_note(r, xasprintf("wrong answer in %d of %d runs: %s", r->bad_runs, n, first_why));
        } else {
            set_note(r, xasprintf("right answer in %d of %d runs", n, n));
        }
    } else {
        set_note(r, first_why ? xasprintf("the bug showed in %d of %d runs (%s)", r->bad_runs, n, first_why)
                              : xasprintf("the bug showed in 0 of %d runs", n));
    }
    free(first_why);
}

void lab_run(const LabJob *j, LabResult *r)
{
    memset(r, 0, sizeof *r);
    double t0 = now_seconds();
    r->expected = lab_expected(j->spec, j->variant, j->tool);
    StrVec srcv = STRVEC_INIT;
    strvec_push(&srcv, j->source);
    BuildSpec bs = {
        .sources = &srcv, .kind = build_kind_for(j->tool), .cache_dir = j->cache_dir, .wrapper = j->build_wrapper};
    if (bs.kind == BUILD_NATIVE) {
        bs.cflags = j->cflags;
        bs.ldflags = j->ldflags;
    }
    build_program(&bs, &r->build);
    strvec_clear(&srcv);
    if (!r->build.ok) {
        r->verdict = V_ERROR;
        set_note(r, xasprintf("does not compile (%s)", j->source));
    } else {
        SourceSet ss = {0};
        sources_add(&ss, j->source);
        if (j->tool == TOOL_NATIVE)
            judge_native(j, r, &ss);
        else if (j->tool == TOOL_EXPLORE)
            judge_explore(j, r, &ss);
        else
            judge_detector(j, r, &ss);
        sources_free(&ss);
    }
    r->pass = r->verdict == r->expected;
    const char *regex = j->variant == VARIANT_BUGGY ? j->spec->expect[j->tool].regex : NULL;
    if (r->pass && regex) {
        /* what the case says the printed result must show */
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (f) {
            lab_print(f, j, r, false);
            fclose(f);
        }
        regex_t re;
        bool match = text && regcomp(&re, regex, REG_EXTENDED | REG_NOSUB) == 0;
        if (match) {
            match = regexec(&re, text, 0, NULL, 0) == 0;
            regfree(&re);
        }
        if (!match) {
            r->pass = false;
            char *why = xasprintf("%s%sthe result does not match the case's expect: /%s/", r->note ? r->note : "",
                                  r->note ? "; " : "", regex);
            set_note(r, why);
        }
        free(text);
    }
    r->seconds = now_seconds() - t0;
    for (size_t i = 0; i < r->nruns; i++) {
        if (r->pass && !j->run->keep_run_dir && r->runs[i].run_dir)
            remove_tree(r->runs[i].run_dir);
    }
}

bool lab_run_repeat(const LabJob *job, long repeat, bool verbose, FILE *out)
{
    int counts[V_COUNT] = {0};
    double *secs = xcalloc((size_t)repeat, sizeof(double));
    bool all_pass = true;
    for (long i = 0; i < repeat; i++) {
        LabResult res;
        lab_run(job, &res);
        counts[res.verdict]++;
        secs[i] = res.seconds;
        if (i == 0 || !res.pass)
            lab_print(out, job, &res, verbose);
        all_pass = all_pass && res.pass;
        lab_result_free(&res);
    }
    if (repeat > 1) {
        Verdict exp = lab_expected(job->spec, job->variant, job->tool);
        fprintf(out, "%s.%s.%s: over %ld runs:", job->spec->name, variant_name(job->variant), tool_name(job->tool),
                repeat);
        for (int v = 0; v < V_COUNT; v++)
            if (counts[v])
                fprintf(out, " %s %d/%ld", verdict_name((Verdict)v), counts[v], repeat);
        fprintf(out, "; expected %s %ld/%ld; median %.2f s\n", verdict_name(exp), repeat, repeat,
                median(secs, (size_t)repeat));
    }
    free(secs);
    return all_pass;
}
