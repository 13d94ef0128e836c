/* `racelab measure CASE`: how well explore shows a case's bug, measured,
 * not assumed: the buggy program natively at the case's own inputs, many
 * times (the bug rate a plain run has); under explore over many seeds
 * (the rate per schedule, and the median number of seeds until the first
 * finding, from every starting seed); the first failing seed replayed
 * (does it show the same thing every time?); the fixed program over many
 * seeds (it must stay clean); and the time a run takes either way. The
 * numbers README gives come from this command (ci/bench-explore.sh). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "build.h"
#include "cli.h"
#include "explore.h"
#include "fs.h"
#include "judge.h"
#include "lab.h"
#include "log.h"
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

typedef struct {
    const CaseSpec *spec;
} Oracle;

static bool right(RunOutcome *o, void *ctx, char **why)
{
    const Oracle *a = ctx;
    return oracle_check(a->spec, &a->spec->params, o->proc.out, why);
}

static bool build(const char *source, BuildKind k, const char *cache, BuildResult *b)
{
    StrVec src = STRVEC_INIT;
    strvec_push(&src, source);
    BuildSpec bs = {.sources = &src, .kind = k, .cache_dir = cache};
    build_program(&bs, b);
    strvec_clear(&src);
    if (!b->ok)
        warnf("%s does not compile for %s:\n%s", source, build_kind_name(k), b->log);
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

int cmd_measure(int argc, char **argv)
{
    static const struct option opts[] = {
        {"root", required_argument, NULL, 'r'},
        {"work-dir", required_argument, NULL, 'w'},
        {"runs", required_argument, NULL, 'n'},
        {"seeds", required_argument, NULL, 's'},
        {"replays", required_argument, NULL, 'p'},
        {"fixed-seeds", required_argument, NULL, 'f'},
        {"markdown", no_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    Common c;
    common_init(&c);
    long runs = 200, seeds = 200, replays = 20, fixed_seeds = 200;
    bool markdown = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case 'r': c.root = optarg; break;
        case 'w': c.work_dir = optarg; break;
        case 'n': runs = parse_count(optarg, "--runs", 1, 100000); break;
        case 's': seeds = parse_count(optarg, "--seeds", 10, 100000); break;
        case 'p': replays = parse_count(optarg, "--replays", 1, 10000); break;
        case 'f': fixed_seeds = parse_count(optarg, "--fixed-seeds", 1, 100000); break;
        case 'm': markdown = true; break;
        case 'h':
            puts(
                "usage: racelab measure CASE [--runs N] [--seeds N] [--replays N] [--fixed-seeds N] [--markdown]\n"
                "Measures how often a case's bug shows in plain native runs and under explore, at the case's\n"
                "own inputs; seeds to the first finding; replays of a failing seed; the fixed program's seeds.");
            return 0;
        default: return 2;
        }
    }
    if (argc - optind != 1)
        die("usage: racelab measure CASE (racelab measure --help)");
    common_finish(&c);
    char *case_path = lab_case_path(c.root, argv[optind], VARIANT_BUGGY);
    char *fixed_path = lab_case_path(c.root, argv[optind], VARIANT_FIXED);
    CaseSpec spec;
    char *err = NULL;
    if (!spec_load(case_path, &spec, &err))
        die("%s", err);
    BuildResult nb, eb, fb;
    if (!build(case_path, BUILD_NATIVE, c.cache_dir, &nb) || !build(case_path, BUILD_EXPLORE, c.cache_dir, &eb) ||
        !build(fixed_path, BUILD_EXPLORE, c.cache_dir, &fb))
        return 2;
    StrVec args = STRVEC_INIT;
    spec_args(&spec.params, &args);
    SourceSet ss = {0};
    sources_add(&ss, case_path);
    RunOptions ro = {.work_dir = c.work_dir};

    /* plain native runs at the case's own inputs */
    int plain_bad = 0;
    double *plain_secs = xcalloc((size_t)runs, sizeof(double));
    for (long i = 0; i < runs; i++) {
        RunOutcome o;
        run_tool(TOOL_NATIVE, nb.exe, &args, &ro, &ss, &o);
        char *why = NULL;
        plain_bad += o.status != RUN_OK || !oracle_check(&spec, &spec.params, o.proc.out, &why);
        plain_secs[i] = o.proc.wall;
        free(why);
        if (o.run_dir)
            remove_tree(o.run_dir);
        run_outcome_free(&o);
    }

    /* explore over seeds 1..N, every one */
    Oracle a = {&spec};
    PerSeed per = {0};
    ExploreLoop l = {.first_seed = 1,
                     .seeds = (int)seeds,
                     .all = true,
                     .oracle = right,
                     .oracle_ctx = &a,
                     .each = each_seed,
                     .each_ctx = &per};
    ExploreResult er;
    explore_loop(eb.exe, &args, &ro, &l, &ss, &er);
    int failing = 0, first = -1;
    for (int i = 0; i < per.n; i++) {
        failing += per.failing[i];
        if (per.failing[i] && first < 0)
            first = i;
    }
    /* seeds to the first finding, from every starting seed that has one after it */
    double *to_first = xcalloc((size_t)per.n + 1, sizeof(double));
    int nto = 0;
    for (int s = 0; s < per.n; s++) {
        for (int k = s; k < per.n; k++) {
            if (per.failing[k]) {
                to_first[nto++] = k - s + 1;
                break;
            }
        }
    }
    double within10 = 0;
    for (int i = 0; i < nto; i++)
        within10 += to_first[i] <= 10;

    /* the first failing seed, replayed */
    int same = 0;
    char *ref = NULL;
    unsigned long long seed = first >= 0 ? (unsigned long long)first + 1 : 0;
    for (long i = 0; first >= 0 && i <= replays; i++) {
        ExploreLoop one = {.first_seed = seed, .seeds = 1, .oracle = right, .oracle_ctx = &a};
        ExploreResult rr;
        explore_loop(eb.exe, &args, &ro, &one, &ss, &rr);
        char *sum = run_summary(&rr.run, &ss);
        if (!ref)
            ref = sum;
        else {
            same += !strcmp(sum, ref);
            free(sum);
        }
        if (rr.run.run_dir)
            remove_tree(rr.run.run_dir);
        explore_result_free(&rr);
    }

    /* the fixed program, every seed */
    PerSeed fper = {0};
    SourceSet fss = {0};
    sources_add(&fss, fixed_path);
    ExploreLoop fl = {.first_seed = 1,
                      .seeds = (int)fixed_seeds,
                      .all = true,
                      .oracle = right,
                      .oracle_ctx = &a,
                      .each = each_seed,
                      .each_ctx = &fper};
    ExploreResult fr;
    explore_loop(fb.exe, &args, &ro, &fl, &fss, &fr);
    int fixed_failing = 0;
    for (int i = 0; i < fper.n; i++)
        fixed_failing += fper.failing[i];

    double plain_med = median(plain_secs, (size_t)runs), explore_med = median(per.secs, (size_t)per.n);
    double to_first_med = median(to_first, (size_t)nto);
    if (markdown) {
        printf("| %s | %d/%ld | %d/%d (%.0f%%) | %.0f | %.0f%% | %d/%ld | %d/%d | %.1f / %.1f ms |\n", spec.name,
               plain_bad, runs, failing, per.n, 100.0 * failing / (per.n ? per.n : 1), to_first_med,
               100.0 * within10 / (nto ? nto : 1), same, first >= 0 ? replays : 0, fixed_failing, fper.n,
               plain_med * 1e3, explore_med * 1e3);
    } else {
        printf("%s (inputs:", spec.name);
        for (size_t i = 0; i < spec.params.n; i++)
            printf(" %s=%lld", spec.params.items[i].name, spec.params.items[i].value);
        printf(")\n");
        printf("  plain native runs: the bug showed in %d of %ld (median %.1f ms a run)\n", plain_bad, runs,
               plain_med * 1e3);
        printf("  explore: the bug showed in %d of %d schedules (median %.1f ms a run)\n", failing, per.n,
               explore_med * 1e3);
        printf(
            "  seeds to the first finding: median %.0f over %d starting seeds; within 10 seeds from %.0f%% of "
            "them\n",
            to_first_med, nto, 100.0 * within10 / (nto ? nto : 1));
        if (first >= 0)
            printf("  replay of seed %llu: the same findings and output %d of %ld times\n", seed, same, replays);
        printf("  fixed program: %d of %d schedules with a finding or a wrong answer\n", fixed_failing, fper.n);
    }
    free(ref);
    free(plain_secs), free(to_first), free(per.failing), free(per.secs), free(fper.failing), free(fper.secs);
    explore_result_free(&er);
    explore_result_free(&fr);
    build_result_free(&nb), build_result_free(&eb), build_result_free(&fb);
    strvec_clear(&args);
    sources_free(&ss), sources_free(&fss);
    spec_free(&spec);
    free(case_path), free(fixed_path);
    common_free(&c);
    return first >= 0 && !fixed_failing ? 0 : 1;
}
