#include "lab_measure.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "build.h"
#include "explore.h"
#include "fs.h"
#include "judge.h"
#include "lab.h"
#include "measure.h"
#include "strbuf.h"

typedef struct {
    bool *failing; /* by seed index */
    double *secs;
    int n, cap;
} PerSeed;

static void each_seed(const RunOutcome *o, bool failing, void *ctx)
{
    PerSeed *p = ctx;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->failing = xreallocarray(p->failing, (size_t)p->cap, sizeof *p->failing);
        p->secs = xreallocarray(p->secs, (size_t)p->cap, sizeof *p->secs);
    }
    p->failing[p->n] = failing;
    p->secs[p->n++] = o->proc.wall;
}

static void per_seed_free(PerSeed *p)
{
    free(p->failing);
    free(p->secs);
}

static bool right(RunOutcome *o, void *ctx, char **why)
{
    const CaseSpec *spec = ctx;
    return oracle_check(spec, &spec->params, o->proc.out, why);
}

static bool build(const char *source, BuildKind k, const char *cache, BuildResult *b, char **err)
{
    StrVec src = STRVEC_INIT;
    strvec_push(&src, source);
    BuildSpec bs = {.sources = &src, .kind = k, .cache_dir = cache};
    build_program(&bs, b);
    strvec_clear(&src);
    if (!b->ok)
        *err = xasprintf("%s does not compile for %s:\n%s", source, build_kind_name(k), b->log);
    return b->ok;
}

/* A summary of every run's findings and output: two replays agree when
 * their summaries are equal. */
static char *run_summary(const RunOutcome *o, const SourceSet *ss)
{
    StrBuf sb = STRBUF_INIT;
    for (size_t i = 0; i < o->report.n; i++) {
        char *s = finding_summary(&o->report.items[i], ss);
        sb_addf(&sb, "%s\n", s);
        free(s);
    }
    sb_addf(&sb, "exit %d signal %d\n%s", o->proc.code, o->proc.sig, o->proc.out ? o->proc.out : "");
    return sb_steal(&sb);
}

/* What the measurements run on: the builds, the arguments, the options. */
typedef struct {
    BuildResult native, explore, fixed;
    StrVec args;
    SourceSet ss, fixed_ss;
    RunOptions ro;
} Bench;

/* Plain native runs at the case's own inputs: how often the answer is wrong. */
static void plain_runs(const Bench *b, MeasureResult *m)
{
    double *secs = xcalloc((size_t)m->runs, sizeof(double));
    for (long i = 0; i < m->runs; i++) {
        RunOutcome o;
        run_tool(TOOL_NATIVE, b->native.exe, &b->args, &b->ro, &b->ss, &o);
        char *why = NULL;
        m->plain_bad += o.status != RUN_OK || !oracle_check(&m->spec, &m->spec.params, o.proc.out, &why);
        secs[i] = o.proc.wall;
        free(why);
        if (o.run_dir)
            remove_tree(o.run_dir);
        run_outcome_free(&o);
    }
    m->plain_med = median(secs, (size_t)m->runs);
    free(secs);
}

/* Explore over seeds 1..N, every one, of the buggy program; the seeds to
 * the first finding, from every starting seed that has one after it. */
static void explore_seeds(const Bench *b, long seeds, MeasureResult *m)
{
    PerSeed per = {0};
    ExploreLoop l = {.first_seed = 1,
                     .seeds = (int)seeds,
                     .all = true,
                     .oracle = right,
                     .oracle_ctx = &m->spec,
                     .each = each_seed,
                     .each_ctx = &per};
    ExploreResult er;
    explore_loop(b->explore.exe, &b->args, &b->ro, &l, &b->ss, &er);
    m->first = -1;
    for (int i = 0; i < per.n; i++) {
        m->failing += per.failing[i];
        if (per.failing[i] && m->first < 0)
            m->first = i;
    }
    double *to_first = xcalloc((size_t)per.n + 1, sizeof(double));
    for (int s = 0; s < per.n; s++) {
        for (int k = s; k < per.n; k++) {
            if (per.failing[k]) {
                to_first[m->nto++] = k - s + 1;
                break;
            }
        }
    }
    for (int i = 0; i < m->nto; i++)
        m->within10 += to_first[i] <= 10;
    m->explored = per.n;
    m->to_first_med = median(to_first, (size_t)m->nto);
    m->explore_med = median(per.secs, (size_t)per.n);
    free(to_first);
    per_seed_free(&per);
    explore_result_free(&er);
}

/* The first failing seed, replayed: the same findings and output each time? */
static void replay_first(const Bench *b, MeasureResult *m)
{
    char *ref = NULL;
    m->seed = m->first >= 0 ? (unsigned long long)m->first + 1 : 0;
    for (long i = 0; m->first >= 0 && i <= m->replays; i++) {
        ExploreLoop one = {.first_seed = m->seed, .seeds = 1, .oracle = right, .oracle_ctx = &m->spec};
        ExploreResult rr;
        explore_loop(b->explore.exe, &b->args, &b->ro, &one, &b->ss, &rr);
        char *sum = run_summary(&rr.run, &b->ss);
        if (!ref)
            ref = sum;
        else {
            m->same += !strcmp(sum, ref);
            free(sum);
        }
        if (rr.run.run_dir)
            remove_tree(rr.run.run_dir);
        explore_result_free(&rr);
    }
    free(ref);
}

/* The fixed program, every seed: how many schedules show a finding. */
static void fixed_seeds(const Bench *b, long seeds, MeasureResult *m)
{
    PerSeed fper = {0};
    ExploreLoop fl = {.first_seed = 1,
                      .seeds = (int)seeds,
                      .all = true,
                      .oracle = right,
                      .oracle_ctx = &m->spec,
                      .each = each_seed,
                      .each_ctx = &fper};
    ExploreResult fr;
    explore_loop(b->fixed.exe, &b->args, &b->ro, &fl, &b->fixed_ss, &fr);
    for (int i = 0; i < fper.n; i++)
        m->fixed_failing += fper.failing[i];
    m->fixed_explored = fper.n;
    per_seed_free(&fper);
    explore_result_free(&fr);
}

bool lab_measure(const MeasureJob *job, MeasureResult *m, char **err)
{
    memset(m, 0, sizeof *m);
    m->runs = job->runs;
    m->replays = job->replays;
    m->first = -1;
    char *case_path = lab_case_path(job->root, job->name, VARIANT_BUGGY);
    char *fixed_path = lab_case_path(job->root, job->name, VARIANT_FIXED);
    Bench b = {.args = STRVEC_INIT, .ro = {.work_dir = job->work_dir}};
    bool ok = m->loaded = spec_load(case_path, &m->spec, err);
    if (ok)
        ok = build(case_path, BUILD_NATIVE, job->cache_dir, &b.native, err) &&
             build(case_path, BUILD_EXPLORE, job->cache_dir, &b.explore, err) &&
             build(fixed_path, BUILD_EXPLORE, job->cache_dir, &b.fixed, err);
    if (ok) {
        spec_args(&m->spec.params, &b.args);
        sources_add(&b.ss, case_path);
        sources_add(&b.fixed_ss, fixed_path);
        plain_runs(&b, m);
        explore_seeds(&b, job->seeds, m);
        replay_first(&b, m);
        fixed_seeds(&b, job->fixed_seeds, m);
    }
    build_result_free(&b.native), build_result_free(&b.explore), build_result_free(&b.fixed);
    strvec_clear(&b.args);
    sources_free(&b.ss), sources_free(&b.fixed_ss);
    free(case_path), free(fixed_path);
    return ok;
}

void lab_measure_print(FILE *out, const MeasureResult *m, bool markdown)
{
    int explored = m->explored ? m->explored : 1, nto = m->nto ? m->nto : 1;
    if (markdown) {
        fprintf(out, "| %s | %d/%ld | %d/%d (%.0f%%) | %.0f | %.0f%% | %d/%ld | %d/%d | %.1f / %.1f ms |\n",
                m->spec.name, m->plain_bad, m->runs, m->failing, m->explored, 100.0 * m->failing / explored,
                m->to_first_med, 100.0 * m->within10 / nto, m->same, m->first >= 0 ? m->replays : 0,
                m->fixed_failing, m->fixed_explored, m->plain_med * 1e3, m->explore_med * 1e3);
        return;
    }
    fprintf(out, "%s (inputs:", m->spec.name);
    for (size_t i = 0; i < m->spec.params.n; i++)
        fprintf(out, " %s=%lld", m->spec.params.items[i].name, m->spec.params.items[i].value);
    fprintf(out, ")\n");
    fprintf(out, "  plain native runs: the bug showed in %d of %ld (median %.1f ms a run)\n", m->plain_bad, m->runs,
            m->plain_med * 1e3);
    fprintf(out, "  explore: the bug showed in %d of %d schedules (median %.1f ms a run)\n", m->failing, m->explored,
            m->explore_med * 1e3);
    fprintf(out,
            "  seeds to the first finding: median %.0f over %d starting seeds; within 10 seeds from %.0f%% of "
            "them\n",
            m->to_first_med, m->nto, 100.0 * m->within10 / nto);
    if (m->first >= 0)
        fprintf(out, "  replay of seed %llu: the same findings and output %d of %ld times\n", m->seed, m->same,
                m->replays);
    fprintf(out, "  fixed program: %d of %d schedules with a finding or a wrong answer\n", m->fixed_failing,
            m->fixed_explored);
}

void lab_measure_free(MeasureResult *m)
{
    if (m->loaded)
        spec_free(&m->spec);
    memset(m, 0, sizeof *m);
}
