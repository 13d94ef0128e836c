/* `racelab run`, `racelab list`, `racelab matrix`: the lab's own front end
 * (the work is the lab's: lab.h, lab_cases.h, lab_matrix.h). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "systematic.h"
#include "fs.h"
#include "lab_cases.h"
#include "lab_matrix.h"
#include "log.h"
#include "pool.h"

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
    OPT_FIRST_SEED,
    OPT_BOUND,
    OPT_SCHEDULE,
    OPT_PARAM
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
    {"bound", required_argument, NULL, OPT_BOUND},
    {"schedule", required_argument, NULL, OPT_SCHEDULE},
    {"param", required_argument, NULL, OPT_PARAM},
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
    "  --bound K     explore: instead of seeds, every schedule with at most K\n"
    "                preemptions (0, 1, ... K in turn), at the case's verify:\n"
    "                inputs; --seeds N caps the schedules (default 5000)\n"
    "  --schedule S  explore: replay one schedule of that search\n"
    "  --param N=V   the program's input N (repeatable), over the case's\n"
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
    long repeat = 1, seeds = 0, bound = -1;
    const char *schedule = NULL;
    StrVec set = STRVEC_INIT; /* --param N=V */
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
        case OPT_BOUND: bound = parse_count(optarg, "--bound", 0, 20); break;
        case OPT_SCHEDULE:
            if (!systematic_schedule_valid(optarg))
                die("a schedule is a list K:T,K:T... of choice points and threads, not '%s'", optarg);
            schedule = optarg;
            break;
        case OPT_PARAM:
            if (!strchr(optarg, '=') || strchr(optarg, '=') == optarg)
                die("--param takes NAME=VALUE, not '%s'", optarg);
            strvec_push(&set, optarg);
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

    /* --param: the case's inputs (verify: ones for the bounded search), some set */
    Params given = bound >= 0 || schedule ? spec_verify_params(&spec) : params_copy(&spec.params);
    for (size_t i = 0; i < set.n; i++) {
        char *eq = strchr(set.v[i], '=');
        *eq = '\0';
        if (!params_find(&spec.params, set.v[i]))
            die("--param: %s is not one of the case's params:", set.v[i]);
        params_set(&given, set.v[i], parse_count(eq + 1, "--param", 0, LONG_MAX));
    }
    RunOptions ro = {.work_dir = c.work_dir, .timeout = timeout, .keep_run_dir = keep, .dump_stacks = true};
    LabJob job = {.spec = &spec,
                  .params = set.n ? &given : NULL,
                  .systematic = bound >= 0,
                  .bound = (int)bound,
                  .schedule = schedule,
                  .source = prog_path,
                  .variant = variant,
                  .tool = tool,
                  .run = &ro,
                  .cache_dir = c.cache_dir,
                  .seeds = (int)seeds,
                  .first_seed = first_seed,
                  .replay = replay};
    bool all_pass = lab_run_repeat(&job, repeat, verbose, stdout);
    params_free(&given);
    strvec_clear(&set);
    spec_free(&spec);
    free(case_path);
    free(prog_path);
    common_free(&c);
    return all_pass ? 0 : 1;
}

/* ---- list ---- */

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
        lab_write_ctest(stdout, specs, n, ctest, root, only_expected, argv + optind, argc - optind);
        free(root);
    } else {
        lab_list_cases(stdout, specs, n);
    }
    lab_cases_free(specs, n);
    common_free(&c);
    return 0;
}

/* ---- matrix ---- */

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
    MatrixJob m = {.root = c.root,
                   .work_dir = c.work_dir,
                   .cache_dir = c.cache_dir,
                   .repeat = repeat,
                   .jobs = jobs,
                   .markdown = markdown,
                   .tools = tools,
                   .progress = isatty(2)};
    CaseSpec *specs = load_all_cases(c.root, &m.nspecs);
    m.specs = specs;
    int failures = lab_matrix(&m, stdout, stderr);
    lab_cases_free(specs, m.nspecs);
    common_free(&c);
    return failures ? 1 : 0;
}
