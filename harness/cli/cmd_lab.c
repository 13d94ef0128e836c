/* `racelab run`, `racelab list`, `racelab matrix`: the lab's own front end. */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "cli.h"
#include "fs.h"
#include "log.h"
#include "measure.h"
#include "pool.h"
#include "strbuf.h"
#include "text.h"
#include "toolpaths.h"

enum {
    OPT_ROOT = 1000,
    OPT_WORK,
    OPT_KEEP,
    OPT_REPEAT,
    OPT_TIMEOUT,
    OPT_CTEST,
    OPT_JOBS,
    OPT_MARKDOWN,
    OPT_TOOLS,
    OPT_EXPECTED,
    OPT_SEEDS,
    OPT_SEED,
    OPT_FIRST_SEED
};

static const struct option common_opts[] = {
    {"root", required_argument, NULL, OPT_ROOT},
    {"work-dir", required_argument, NULL, OPT_WORK},
    {"keep", no_argument, NULL, OPT_KEEP},
    {"repeat", required_argument, NULL, OPT_REPEAT},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"ctest", required_argument, NULL, OPT_CTEST},
    {"expected-only", no_argument, NULL, OPT_EXPECTED},
    {"seeds", required_argument, NULL, OPT_SEEDS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"first-seed", required_argument, NULL, OPT_FIRST_SEED},
    {"output", required_argument, NULL, 'o'},
    {"jobs", required_argument, NULL, 'j'},
    {"markdown", no_argument, NULL, OPT_MARKDOWN},
    {"tools", required_argument, NULL, OPT_TOOLS},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* ---- run ---- */

static const char run_usage[] =
    "usage: racelab run CASE VARIANT TOOL [options]\n"
    "  CASE     a case name (cases/CASE.c), VARIANT buggy|fixed,\n"
    "  TOOL     tsan|helgrind|drd|memcheck|explore|native\n"
    "  --repeat N    run N times; passes only if every verdict is the expected one\n"
    "  --seeds N     explore: schedules to try (default 100)\n"
    "  --first-seed S  explore: the first seed (default 1)\n"
    "  --seed S      explore: replay the one schedule of seed S\n"
    "  -v            print stacks, output and the run's logs\n"
    "  --keep        keep the run directories\n"
    "  --timeout S   wall-clock limit per run (default: tsan 30, valgrind 60, explore 10, native 20)\n"
    "  --root DIR    the lab's source tree (default: @ROOT@)\n"
    "  --work-dir D  where builds and runs go (default: @WORK@)\n"
    "Exit status: 0 the verdict is the expected one, 1 it is not, 2 usage or setup error.\n";

int cmd_run(int argc, char **argv)
{
    Common c;
    common_init(&c);
    bool verbose = false, keep = false, replay = false;
    long repeat = 1, seeds = 0;
    unsigned long long first_seed = 0;
    double timeout = 0;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "vh", common_opts, NULL)) != -1) {
        switch (opt) {
        case OPT_SEEDS: seeds = parse_count(optarg, "--seeds", 1, 1000000); break;
        case OPT_FIRST_SEED: first_seed = (unsigned long long)parse_count(optarg, "--first-seed", 1, LONG_MAX); break;
        case OPT_SEED:
            first_seed = (unsigned long long)parse_count(optarg, "--seed", 1, LONG_MAX);
            replay = true;
            break;
        case OPT_ROOT: c.root = optarg; break;
        case OPT_WORK: c.work_dir = optarg; break;
        case OPT_KEEP: keep = true; break;
        case OPT_REPEAT: repeat = parse_count(optarg, "--repeat", 1, 100000); break;
        case OPT_TIMEOUT: timeout = (double)parse_count(optarg, "--timeout", 1, 86400); break;
        case 'v': verbose = true; break;
        case 'h': print_usage(stdout, run_usage); return 0;
        default: print_usage(stderr, run_usage); return 2;
        }
    }
    if (argc - optind != 3) {
        print_usage(stderr, run_usage);
        return 2;
    }
    common_finish(&c);
    Variant variant;
    ToolId tool;
    if (!variant_from_name(argv[optind + 1], &variant))
        die("variant must be buggy or fixed, not '%s'", argv[optind + 1]);
    if (!tool_from_name(argv[optind + 2], &tool))
        die("unknown tool '%s' (tsan, helgrind, drd, memcheck, native)", argv[optind + 2]);
    char *case_path = lab_case_path(c.root, argv[optind], VARIANT_BUGGY);
    char *prog_path = lab_case_path(c.root, argv[optind], variant);
    CaseSpec spec;
    char *err = NULL;
    if (!spec_load(case_path, &spec, &err))
        die("%s", err);
    if (!file_exists(prog_path))
        die("%s: no such file", prog_path);

    RunOptions ro = {.work_dir = c.work_dir, .timeout = timeout, .keep_run_dir = keep, .dump_stacks = true};
    LabJob job = {.spec = &spec,
                  .source = prog_path,
                  .variant = variant,
                  .tool = tool,
                  .run = &ro,
                  .cache_dir = c.cache_dir,
                  .seeds = (int)seeds,
                  .first_seed = first_seed,
                  .replay = replay};
    int counts[V_COUNT] = {0};
    double *secs = xcalloc((size_t)repeat, sizeof(double));
    bool all_pass = true;
    for (long i = 0; i < repeat; i++) {
        LabResult res;
        lab_run(&job, &res);
        counts[res.verdict]++;
        secs[i] = res.seconds;
        if (i == 0 || !res.pass)
            lab_print(stdout, &job, &res, verbose);
        all_pass = all_pass && res.pass;
        lab_result_free(&res);
    }
    if (repeat > 1) {
        Verdict exp = lab_expected(&spec, variant, tool);
        printf("%s.%s.%s: over %ld runs:", spec.name, variant_name(variant), tool_name(tool), repeat);
        for (int v = 0; v < V_COUNT; v++)
            if (counts[v])
                printf(" %s %d/%ld", verdict_name((Verdict)v), counts[v], repeat);
        printf("; expected %s %ld/%ld; median %.2f s\n", verdict_name(exp), repeat, repeat,
               median(secs, (size_t)repeat));
    }
    free(secs);
    spec_free(&spec);
    free(case_path);
    free(prog_path);
    common_free(&c);
    return all_pass ? 0 : 1;
}

/* ---- list ---- */

static void print_expect_lines(const CaseSpec *s)
{
    for (int t = 0; t < DETECTOR_COUNT; t++) {
        const ToolExpect *te = &s->tools[t];
        if (te->blind) {
            printf("  %-9s blind -- %s\n", tool_name((ToolId)t), te->why);
            continue;
        }
        for (size_t i = 0; i < te->n; i++) {
            char *d = expect_describe(&te->items[i]);
            printf("  %-9s %s\n", tool_name((ToolId)t), d);
            free(d);
        }
    }
    printf("  %-9s %s%s\n", "native", s->native == NATIVE_DEADLOCK ? "deadlock with " : "wrong answer, sometimes",
           s->native == NATIVE_DEADLOCK ? s->native_arg : "");
}

/* The CTest file: one test per case x variant x tool; with only_expected
 * (the harness's fixtures), one per `expect:` line of a buggy program.
 * Names come from file names and class words; extra arguments are the
 * ones after `--`, quoted for CMake. */
static void print_ctest(const CaseSpec *specs, size_t n, const char *racelab, const char *root, bool only_expected,
                        char **extra, int nextra)
{
    StrBuf more = STRBUF_INIT;
    for (int i = 0; i < nextra; i++)
        sb_addf(&more, " \"%s\"", extra[i]);
    printf("# Generated by `racelab list --ctest`: one test per case x variant x tool.\n");
    for (size_t i = 0; i < n; i++) {
        for (int v = 0; v < 2; v++) {
            for (int t = 0; t < TOOL_COUNT; t++) {
                if (only_expected && (v != VARIANT_BUGGY || !specs[i].expect[t].given))
                    continue;
                const char *vn = variant_name((Variant)v), *tn = tool_name((ToolId)t);
                const char *prefix = only_expected ? "harness.fixture." : "";
                printf("add_test(%s%s.%s.%s \"%s\" run %s %s %s --root \"%s\"%s)\n", prefix, specs[i].name, vn, tn,
                       racelab, specs[i].name, vn, tn, root, more.buf);
                if (only_expected)
                    printf("set_tests_properties(%s%s.%s.%s PROPERTIES LABELS \"harness;%s\" TIMEOUT 120)\n", prefix,
                           specs[i].name, vn, tn, tn);
                else
                    printf("set_tests_properties(%s.%s.%s PROPERTIES LABELS \"race;%s;%s;%s\" TIMEOUT 300)\n",
                           specs[i].name, vn, tn, tn, vn, specs[i].klass);
            }
        }
    }
    sb_free(&more);
}

int cmd_list(int argc, char **argv)
{
    Common c;
    common_init(&c);
    const char *ctest = NULL, *output = NULL;
    bool only_expected = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "ho:", common_opts, NULL)) != -1) {
        switch (opt) {
        case OPT_ROOT: c.root = optarg; break;
        case OPT_CTEST: ctest = optarg; break;
        case OPT_EXPECTED: only_expected = true; break;
        case 'o': output = optarg; break;
        case 'h':
            puts(
                "usage: racelab list [--root DIR] [--ctest PATH-OF-RACELAB [--expected-only]] [-o FILE] [-- ARGS]\n"
                "Shows each case's expectations as read from its header; with --ctest,\n"
                "writes the CTest file that makes one test per case x variant x tool\n"
                "(--expected-only: one per `expect:` line), each `racelab run` given ARGS.");
            return 0;
        default: return 2;
        }
    }
    if (output && !freopen(output, "w", stdout))
        die("cannot write %s", output);
    size_t n;
    CaseSpec *specs = load_all_cases(c.root, &n);
    if (ctest) {
        char *root = real_or_copy(c.root);
        print_ctest(specs, n, ctest, root, only_expected, argv + optind, argc - optind);
        free(root);
    } else {
        for (size_t i = 0; i < n; i++) {
            const CaseSpec *s = &specs[i];
            printf("%s (class %s): %s\n", s->name, s->klass, s->path);
            printf("  params   ");
            for (size_t k = 0; k < s->params.n; k++)
                printf(" %s=%lld", s->params.items[k].name, s->params.items[k].value);
            printf("\n  stress   ");
            for (size_t k = 0; k < s->stress.n; k++)
                printf(" %s=%lld", s->stress.items[k].name, s->stress.items[k].value);
            printf("\n");
            for (size_t k = 0; k < s->noutputs; k++)
                printf("  output    %s\n", s->outputs[k]);
            print_expect_lines(s);
        }
    }
    for (size_t i = 0; i < n; i++)
        spec_free(&specs[i]);
    free(specs);
    common_free(&c);
    return 0;
}

/* ---- matrix ---- */

typedef struct {
    CaseSpec *specs;
    size_t nspecs;
    Common *c;
    long repeat;
    unsigned tools;
    size_t ntools;
    ToolId tool_of[TOOL_COUNT];
} MatrixCtx;

/* Job i of the matrix: cases in order, then buggy before fixed, then tools. */
static void decode(const MatrixCtx *m, size_t i, const CaseSpec **s, Variant *v, ToolId *t)
{
    size_t per_case = 2 * m->ntools;
    *s = &m->specs[i / per_case];
    *v = (Variant)((i % per_case) / m->ntools);
    *t = m->tool_of[i % m->ntools];
}

static void matrix_job(size_t idx, void *vctx, FILE *out)
{
    MatrixCtx *m = vctx;
    const CaseSpec *s;
    Variant v;
    ToolId t;
    decode(m, idx, &s, &v, &t);
    char *prog = lab_case_path(m->c->root, s->name, v);
    RunOptions ro = {.work_dir = m->c->work_dir, .dump_stacks = true};
    LabJob job = {.spec = s, .source = prog, .variant = v, .tool = t, .run = &ro, .cache_dir = m->c->cache_dir};
    int counts[V_COUNT] = {0};
    char *note = NULL;
    int shown = 0, total = 0;
    for (long i = 0; i < m->repeat; i++) {
        LabResult r;
        lab_run(&job, &r);
        counts[r.verdict]++;
        if (t == TOOL_NATIVE && r.verdict == V_MEASURED) {
            shown += r.bad_runs;
            total += (int)r.nruns;
        }
        if (t == TOOL_EXPLORE) { /* schedules run, and of them showing a bug */
            shown += r.explore_failing;
            total += r.explored;
        }
        if (!note || !r.pass) {
            free(note);
            note = xstrdup(r.note ? r.note : "");
        }
        lab_result_free(&r);
    }
    Verdict exp = lab_expected(s, v, t);
    /* "verdict|count|expected|shown/total|note": the commonest verdict */
    Verdict most = exp;
    for (int k = 0; k < V_COUNT; k++)
        if (counts[k] > counts[most])
            most = (Verdict)k;
    fprintf(out, "%s|%d|%s|%d/%d|", verdict_name(most), counts[most], verdict_name(exp), shown, total);
    for (const char *p = note; *p; p++)
        fputc(*p == '\n' || *p == '|' ? ' ' : *p, out);
    fputc('\n', out);
    free(note);
    free(prog);
}

static void matrix_progress(size_t done, size_t total, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "\rracelab: %zu/%zu runs", done, total);
    if (done == total)
        fputc('\n', stderr);
}

int cmd_matrix(int argc, char **argv)
{
    Common c;
    common_init(&c);
    long repeat = 1;
    int jobs = pool_default_jobs();
    bool markdown = false;
    unsigned tools = (1u << TOOL_COUNT) - 1;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "j:h", common_opts, NULL)) != -1) {
        char *err = NULL;
        switch (opt) {
        case OPT_ROOT: c.root = optarg; break;
        case OPT_WORK: c.work_dir = optarg; break;
        case OPT_REPEAT: repeat = parse_count(optarg, "--repeat", 1, 1000); break;
        case 'j': jobs = (int)parse_count(optarg, "--jobs", 1, 256); break;
        case OPT_MARKDOWN: markdown = true; break;
        case OPT_TOOLS:
            if (!tool_parse_list(optarg, &tools, &err))
                die("%s", err);
            break;
        case 'h':
            puts(
                "usage: racelab matrix [--jobs N] [--repeat N] [--markdown] [--tools LIST] [--root DIR] [--work-dir "
                "DIR]\n"
                "Runs every case x variant x tool and prints the detection matrix.\n"
                "Exit status: 0 every verdict as expected, 1 otherwise.");
            return 0;
        default: return 2;
        }
    }
    common_finish(&c);
    MatrixCtx m = {.c = &c, .repeat = repeat, .tools = tools};
    m.specs = load_all_cases(c.root, &m.nspecs);
    for (int t = 0; t < TOOL_COUNT; t++)
        if (tools & (1u << t))
            m.tool_of[m.ntools++] = (ToolId)t;
    size_t n = m.nspecs * 2 * m.ntools;
    char **outs = xcalloc(n + 1, sizeof(char *));
    double t0 = now_seconds();
    pool_run(n, jobs, matrix_job, &m, outs, isatty(2) ? matrix_progress : NULL);
    double elapsed = now_seconds() - t0;

    int failures = 0;
    if (markdown) {
        printf("| case | variant |");
        for (size_t k = 0; k < m.ntools; k++)
            printf(" %s |", tool_name(m.tool_of[k]));
        printf("\n|---|---|");
        for (size_t k = 0; k < m.ntools; k++)
            printf("---|");
        printf("\n");
    } else {
        printf("%-18s %-6s", "case", "");
        for (size_t k = 0; k < m.ntools; k++)
            printf(" %-17s", tool_name(m.tool_of[k]));
        printf("\n");
    }
    bool *ok = xcalloc(n + 1, sizeof(bool));
    for (size_t i = 0; i < n; i++) {
        const CaseSpec *s;
        Variant v;
        ToolId t;
        decode(&m, i, &s, &v, &t);
        char verdict[32] = "DIED", expected[32] = "?", shown[32] = "";
        int count = 0;
        if (outs[i])
            sscanf(outs[i], "%31[^|]|%d|%31[^|]|%31[^|]|", verdict, &count, expected, shown);
        ok[i] = outs[i] && !strcmp(verdict, expected) && count == repeat;
        failures += !ok[i];
        StrBuf cell = STRBUF_INIT;
        bool blind = v == VARIANT_BUGGY && t != TOOL_NATIVE && s->tools[t].blind;
        sb_add(&cell, blind && ok[i] ? "blind" : verdict);
        if (repeat > 1)
            sb_addf(&cell, " %d/%ld", count, repeat);
        if (!strcmp(verdict, "MEASURED"))
            sb_addf(&cell, " (bug %s)", shown);
        if (t == TOOL_EXPLORE && ok[i]) {
            int found = 0, runs = 0;
            sscanf(shown, "%d/%d", &found, &runs);
            if (v == VARIANT_BUGGY) /* the mean schedule at which the bug first showed */
                sb_addf(&cell, " (seed %.0f)", (double)runs / (repeat > 0 ? (double)repeat : 1.0));
            else
                sb_addf(&cell, " (%d schedules)", runs / (int)(repeat > 0 ? repeat : 1));
        }
        if (!ok[i])
            sb_addf(&cell, ", expected %s", expected);
        if (i % m.ntools == 0)
            printf(markdown ? "| %s | %s |" : "%-18s %-6s", v == VARIANT_BUGGY ? s->name : "", variant_name(v));
        printf(markdown ? " %s |" : " %-17s", cell.buf);
        sb_free(&cell);
        if (i % m.ntools == m.ntools - 1)
            printf("\n");
    }
    printf("%s%zu runs x %ld, %d not as expected, %.1f s wall, %d jobs\n", markdown ? "\n" : "", n, repeat, failures,
           elapsed, jobs);
    for (size_t i = 0; i < n; i++) {
        if (ok[i])
            continue;
        const CaseSpec *s;
        Variant v;
        ToolId t;
        decode(&m, i, &s, &v, &t);
        fprintf(stderr, "racelab: %s.%s.%s: %s", s->name, variant_name(v), tool_name(t),
                outs[i] ? outs[i] : "the job died\n");
    }
    free(ok);
    for (size_t i = 0; i < n; i++)
        free(outs[i]);
    free(outs);
    for (size_t i = 0; i < m.nspecs; i++)
        spec_free(&m.specs[i]);
    free(m.specs);
    common_free(&c);
    return failures ? 1 : 0;
}
