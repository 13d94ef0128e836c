/* `racelab check`'s options (docs/check.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "cgroup.h"
#include "check_cli.h"
#include "cli.h"
#include "systematic.h"
#include "fs.h"
#include "spec.h"
#include "strvec.h"
#include "text.h"
#include "toolopts.h"
#include "toolpaths.h"

static const char check_usage[] =
    "usage: racelab check FILE.c... [options] [-- ARGS...]\n"
    "       racelab check --exe PROGRAM [options] [-- ARGS...]\n"
    "Builds the program with ThreadSanitizer (clang) and natively (gcc), runs it\n"
    "under each tool and fails on any finding not in the baseline. C and C++:\n"
    ".cc/.cpp/.cxx files (alone or with C files) are built with clang++/g++.\n"
    "A known tool limitation (a tool's false positive on correct code, such as\n"
    "Helgrind on pthread_once or on C11 atomics; docs/tools.md) is shown with\n"
    "why, and does not fail the gate unless --strict.\n"
    "  --tools LIST          tsan,helgrind,drd,memcheck,explore (default: all five)\n"
    "  --exe PROGRAM         check a binary you built: TSan-instrumented ones run\n"
    "                        under TSan, plain ones under the Valgrind tools and\n"
    "                        explore (synchronisation calls only: no accesses)\n"
    "  --seeds N             explore: schedules to try (default 100)\n"
    "  --first-seed S        explore: the first seed (default 1)\n"
    "  --seed S              explore: replay the one schedule of seed S\n"
    "  --explore-budget S    explore: stop trying schedules after S seconds\n"
    "                        (default 60; the bounded search gets half, at\n"
    "                        most 10 s, then random schedules the rest)\n"
    "  --bound K             explore: first run every schedule with at most K\n"
    "                        preemptions (default 2; 'none': random ones only)\n"
    "  --systematic-runs N   explore: schedules of the bounded search at most\n"
    "                        (default 5000)\n"
    "  --schedule STR        explore: replay one schedule of the bounded search\n"
    "  --cflags FLAGS        extra compiler flags (split on spaces; repeatable)\n"
    "  --ldflags FLAGS       extra flags after the sources: -lm, -L... (repeatable)\n"
    "  --suppressions FILE   a TSan suppressions file or a Valgrind .supp file\n"
    "                        (told apart by content; repeatable)\n"
    "  --baseline FILE       findings accepted for now: only new ones fail\n"
    "  --update-baseline     write the current findings to the baseline file\n"
    "  --json FILE           the findings in racelab's JSON schema\n"
    "  --sarif FILE          SARIF 2.1.0 (GitHub code scanning)\n"
    "  --junit FILE          JUnit XML, one test case per tool\n"
    "  --source-root DIR     SARIF paths are relative to it (default: .)\n"
    "  --timeout S           wall-clock limit per tool run (default: tsan 30,\n"
    "                        valgrind 60), extended by the time the run's threads\n"
    "                        waited for a CPU (a loaded machine), up to 4x;\n"
    "                        a hang is reported with its stacks\n"
    "  --params-from CASE.c  take ARGS from a lab case's `params:` line\n"
    "  --work-dir DIR        builds and runs; default:\n"
    "                        @WORK@\n"
    "  --keep                keep every run's directory (undecided runs keep\n"
    "                        their logs)\n"
    "  --tsan-opt NAME=VALUE pass an option to TSan (TSAN_OPTIONS), e.g.\n"
    "                        history_size=7\n"
    "  --valgrind-opt OPT    pass a core option to Helgrind, DRD and memcheck,\n"
    "                        e.g. --max-threads=2000\n"
    "  --helgrind-opt OPT, --drd-opt OPT, --memcheck-opt OPT\n"
    "                        pass an option to one Valgrind tool, e.g.\n"
    "                        --drd-opt=--check-stack-var=yes (repeatable; options\n"
    "                        that decide what is reported stay racelab's)\n"
    "  --max-procs N         processes+threads of a run, all it forks (default\n"
    "                        1024); reaching it stops the run: undecided\n"
    "  --max-memory SIZE     memory of a run, all it forks: 512M, 4G (default 4G)\n"
    "                        (cgroups: as root or with a delegated cgroup; said\n"
    "                        when they cannot be set)\n"
    "  --strict              known tool limitations (false positives of a tool on\n"
    "                        correct code, docs/tools.md) fail the gate too\n"
    "  -q, --quiet           print only the verdict line and problems\n"
    "Exit status: 0 no new finding, 1 new findings, 2 usage error,\n"
    "3 could not decide (compile error, crash, tool failure, timeout, bad report).\n";

enum {
    OPT_TOOLS = 1000,
    OPT_EXE,
    OPT_CFLAGS,
    OPT_LDFLAGS,
    OPT_SUPP,
    OPT_BASELINE,
    OPT_UPDATE,
    OPT_JSON,
    OPT_SARIF,
    OPT_JUNIT,
    OPT_ROOT,
    OPT_TIMEOUT,
    OPT_PARAMS,
    OPT_WORK,
    OPT_KEEP,
    OPT_TSAN_OPT,
    OPT_VG_OPT,
    OPT_HELGRIND_OPT,
    OPT_DRD_OPT,
    OPT_MEMCHECK_OPT,
    OPT_SEEDS,
    OPT_SEED,
    OPT_BOUND,
    OPT_SYS_RUNS,
    OPT_SCHEDULE,
    OPT_FIRST_SEED,
    OPT_BUDGET,
    OPT_STRICT,
    OPT_MAX_PROCS,
    OPT_MAX_MEMORY,
};

static const struct option opts[] = {
    {"tools", required_argument, NULL, OPT_TOOLS},
    {"exe", required_argument, NULL, OPT_EXE},
    {"cflags", required_argument, NULL, OPT_CFLAGS},
    {"ldflags", required_argument, NULL, OPT_LDFLAGS},
    {"suppressions", required_argument, NULL, OPT_SUPP},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"update-baseline", no_argument, NULL, OPT_UPDATE},
    {"json", required_argument, NULL, OPT_JSON},
    {"sarif", required_argument, NULL, OPT_SARIF},
    {"junit", required_argument, NULL, OPT_JUNIT},
    {"source-root", required_argument, NULL, OPT_ROOT},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"params-from", required_argument, NULL, OPT_PARAMS},
    {"work-dir", required_argument, NULL, OPT_WORK},
    {"keep", no_argument, NULL, OPT_KEEP},
    {"tsan-opt", required_argument, NULL, OPT_TSAN_OPT},
    {"valgrind-opt", required_argument, NULL, OPT_VG_OPT},
    {"helgrind-opt", required_argument, NULL, OPT_HELGRIND_OPT},
    {"drd-opt", required_argument, NULL, OPT_DRD_OPT},
    {"memcheck-opt", required_argument, NULL, OPT_MEMCHECK_OPT},
    {"seeds", required_argument, NULL, OPT_SEEDS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"bound", required_argument, NULL, OPT_BOUND},
    {"systematic-runs", required_argument, NULL, OPT_SYS_RUNS},
    {"schedule", required_argument, NULL, OPT_SCHEDULE},
    {"first-seed", required_argument, NULL, OPT_FIRST_SEED},
    {"explore-budget", required_argument, NULL, OPT_BUDGET},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"max-procs", required_argument, NULL, OPT_MAX_PROCS},
    {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int usage_error(const char *fmt, const char *arg)
{
    fputs("racelab check: ", stderr);
    fprintf(stderr, fmt, arg ? arg : "");
    fputs("\n(racelab check --help for the options)\n", stderr);
    return CHECK_USAGE;
}

/* A Valgrind suppression file is a list of { ... } blocks; a TSan one is
 * `type:pattern` lines. The first line that is not blank or a comment
 * tells which. */
static int supp_kind(const char *path)
{
    char *text = read_file(path, 16u << 20, NULL, NULL);
    if (!text)
        return -1;
    int kind = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line && !kind; line = strtok_r(NULL, "\n", &save)) {
        char *t = trim(line);
        if (!*t || *t == '#')
            continue;
        kind = *t == '{' ? 2 : 1;
    }
    free(text);
    return kind ? kind : 1;
}

static int add_suppressions(Cli *c, const char *path)
{
    char *real = real_or_copy(path); /* the tools run in their own directory */
    int kind = supp_kind(real);
    if (kind < 0) {
        free(real);
        return usage_error("cannot read suppressions file '%s'", path);
    }
    if (kind == 2) {
        strvec_push(&c->o.vg_supp, real);
    } else {
        if (strchr(real, '\'') && strchr(real, '"')) {
            free(real); /* TSAN_OPTIONS quotes a value with ' or ", never both */
            return usage_error("TSan cannot be given a path holding both ' and \": '%s'", path);
        }
        if (c->o.tsan_supp.n) {
            free(real);
            return usage_error("TSan reads one suppressions file; merge them into one ('%s')", path);
        }
        strvec_push(&c->o.tsan_supp, real);
    }
    free(real);
    return 0;
}

/* --tsan-opt and the Valgrind ones: each checked against the allow-list
 * (toolopts.h) before anything runs. */
static int add_tool_opt(Cli *c, int opt, const char *value)
{
    static const struct {
        int opt;
        const char *flag;
        ToolId tool;
    } which[] = {{OPT_TSAN_OPT, "--tsan-opt", TOOL_TSAN},
                 {OPT_HELGRIND_OPT, "--helgrind-opt", TOOL_HELGRIND},
                 {OPT_DRD_OPT, "--drd-opt", TOOL_DRD},
                 {OPT_MEMCHECK_OPT, "--memcheck-opt", TOOL_MEMCHECK}};
    char *why = NULL;
    if (opt == OPT_VG_OPT) {
        if (!toolopt_is_valgrind_core(value)) {
            fprintf(stderr,
                    "racelab check: --valgrind-opt %s: not a core option racelab passes to every Valgrind tool "
                    "(--num-callers, --max-threads, --fair-sched, ...); one tool's options go with "
                    "--helgrind-opt, --drd-opt or --memcheck-opt\n",
                    value);
            return CHECK_USAGE;
        }
        if (!toolopt_allowed(TOOL_HELGRIND, value, &why)) {
            fprintf(stderr, "racelab check: --valgrind-opt %s: %s\n", value, why);
            free(why);
            return CHECK_USAGE;
        }
        for (ToolId t = TOOL_HELGRIND; t <= TOOL_MEMCHECK; t++)
            strvec_push(&c->o.tool_opts[t], value);
        return 0;
    }
    for (size_t i = 0; i < ARRAY_LEN(which); i++) {
        if (which[i].opt != opt)
            continue;
        if (!toolopt_allowed(which[i].tool, value, &why)) {
            fprintf(stderr, "racelab check: %s %s: %s\n", which[i].flag, value, why);
            free(why);
            return CHECK_USAGE;
        }
        strvec_push(&c->o.tool_opts[which[i].tool], value);
    }
    return 0;
}

static int params_args(Cli *c)
{
    CaseSpec spec;
    char *err = NULL;
    if (!spec_load(c->params_from, &spec, &err)) {
        int rc = usage_error("--params-from: %s", err);
        free(err);
        return rc;
    }
    spec_args(&spec.params, &c->o.args);
    spec_free(&spec);
    return 0;
}

/* An option that takes a number (or a size): its value into o; 0, or
 * the usage error. */
static int take_number(CheckOptions *o, int opt, const char *arg)
{
    char *e;
    switch (opt) {
    case OPT_SEEDS: {
        long v = strtol(arg, &e, 10);
        o->seeds = (int)v;
        if (*e || e == arg || v < 1 || v > 1000000)
            return usage_error("--seeds takes a whole number from 1 to 1000000, not '%s'", arg);
        return 0;
    }
    case OPT_FIRST_SEED:
    case OPT_SEED:
        o->first_seed = strtoull(arg, &e, 10);
        o->replay = o->replay || opt == OPT_SEED;
        if (*e || e == arg || !o->first_seed)
            return usage_error("a seed is a whole number from 1 up, not '%s'", arg);
        return 0;
    case OPT_BOUND: {
        long v = strtol(arg, &e, 10);
        o->bound = !strcmp(arg, "none") ? -1 : (int)v;
        if (strcmp(arg, "none") != 0 && (*e || e == arg || v < 0 || v > 20))
            return usage_error("--bound takes a number of preemptions from 0 to 20, or 'none', not '%s'", arg);
        return 0;
    }
    case OPT_SYS_RUNS: {
        long v = strtol(arg, &e, 10);
        o->systematic_runs = (int)v;
        if (*e || e == arg || v < 1 || v > 10000000)
            return usage_error("--systematic-runs takes a whole number from 1 to 10000000, not '%s'", arg);
        return 0;
    }
    case OPT_BUDGET:
        o->explore_budget = strtod(arg, &e);
        if (*e || e == arg || !(o->explore_budget > 0 && o->explore_budget <= 86400))
            return usage_error("--explore-budget must be a number of seconds, 0 < S <= 86400, not '%s'", arg);
        return 0;
    case OPT_MAX_PROCS:
        o->max_procs = strtoll(arg, &e, 10);
        if (*e || e == arg || o->max_procs < 8 || o->max_procs > 4194304)
            return usage_error("--max-procs must be a number of processes+threads, 8 to 4194304, not '%s'", arg);
        return 0;
    case OPT_MAX_MEMORY:
        if (!cgroup_parse_bytes(arg, &o->max_memory) || o->max_memory < (16ll << 20))
            return usage_error("--max-memory must be a size of at least 16M (512M, 4G), not '%s'", arg);
        return 0;
    default: /* OPT_TIMEOUT */
        o->timeout = strtod(arg, &e);
        if (*e || e == arg || !(o->timeout > 0 && o->timeout <= 86400))
            return usage_error("--timeout must be a number of seconds, 0 < S <= 86400, not '%s'", arg);
        return 0;
    }
}

/* The options together: a program, and nothing that contradicts; the
 * directories made and resolved. 0, or the usage error. */
static int check_together(Cli *c, const char *root, const char *work, const char *baseline)
{
    CheckOptions *o = &c->o;
    int rc;
    if (!o->exe && !o->sources.n)
        return usage_error("no program: give FILE.c... or --exe PROGRAM%s", "");
    if (o->exe && o->sources.n)
        return usage_error("give sources or --exe, not both (%s)", o->sources.v[0]);
    if (o->exe && (o->cflags.n || o->ldflags.n))
        return usage_error("--cflags and --ldflags are for sources; --exe runs %s as built", o->exe);
    for (size_t i = 0; i < o->sources.n; i++)
        if (!file_exists(o->sources.v[i]))
            return usage_error("%s: no such file", o->sources.v[i]);
    if (o->exe && access(o->exe, X_OK) != 0)
        return usage_error("%s: not an executable file", o->exe);
    if (c->update && !baseline)
        return usage_error("--update-baseline needs --baseline FILE%s", "");
    if (c->params_from && o->args.n)
        return usage_error("give the program's arguments with -- ARGS or --params-from, not both%s", "");
    if (c->params_from && (rc = params_args(c)))
        return rc;
    if (!file_exists(root))
        return usage_error("--source-root %s: no such directory", root);
    o->baseline_path = baseline;
    c->root = real_or_copy(root);
    o->source_root = c->root;
    if (!mkdir_p(work))
        return usage_error("cannot create the work directory %s", work);
    c->work_dir = real_or_copy(work); /* the tools run in their own directory */
    if ((o->tools & (1u << TOOL_TSAN)) && strchr(c->work_dir, '\'') && strchr(c->work_dir, '"'))
        return usage_error(
            "--work-dir %s: TSan's log path would hold both ' and \", which TSAN_OPTIONS cannot "
            "quote; use another directory",
            c->work_dir);
    o->work_dir = c->work_dir;
    o->cache_dir = path_join(c->work_dir, "cache");
    return 0;
}

int check_parse(Cli *c, int argc, char **argv)
{
    CheckOptions *o = &c->o;
    o->tools = (1u << DETECTOR_COUNT) - 1; /* every detector, explore too */
    o->max_procs = 1024;                   /* room for any test, not for a fork bomb */
    o->max_memory = 4ll << 30;             /* what a CI runner survives */
    o->explore_budget = 60;
    o->bound = SYSTEMATIC_DEFAULT_BOUND;
    const char *work = default_work_dir(), *root = ".", *baseline = NULL;
    /* Everything after "--" is the program's: getopt must not see it. */
    int end = argc;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--")) {
            end = i;
            break;
        }
    for (int i = end + 1; i < argc; i++)
        strvec_push(&o->args, argv[i]);
    int opt, rc = 0;
    optind = 1;
    while (!rc && (opt = getopt_long(end, argv, "qh", opts, NULL)) != -1) {
        char *err = NULL;
        switch (opt) {
        case OPT_TOOLS:
            if (!tool_parse_list(optarg, &o->tools, &err) || (o->tools & (1u << TOOL_NATIVE))) {
                rc = usage_error("--tools: %s",
                                 err ? err : "native is not a detector; use tsan,helgrind,drd,memcheck,explore");
                free(err);
            }
            break;
        case OPT_EXE:
            free(c->exe);
            c->exe = real_or_copy(optarg); /* the tools run in their own directory */
            o->exe = c->exe;
            break;
        case OPT_CFLAGS: strvec_push_words(&o->cflags, optarg); break;
        case OPT_LDFLAGS: strvec_push_words(&o->ldflags, optarg); break;
        case OPT_SUPP: rc = add_suppressions(c, optarg); break;
        case OPT_BASELINE: baseline = optarg; break;
        case OPT_UPDATE: c->update = true; break;
        case OPT_JSON: c->json = optarg; break;
        case OPT_SARIF: c->sarif = optarg; break;
        case OPT_JUNIT: c->junit = optarg; break;
        case OPT_ROOT: root = optarg; break;
        case OPT_PARAMS: c->params_from = optarg; break;
        case OPT_WORK: work = optarg; break;
        case OPT_KEEP: o->keep = true; break;
        case OPT_STRICT: o->strict = true; break;
        case OPT_TSAN_OPT:
        case OPT_VG_OPT:
        case OPT_HELGRIND_OPT:
        case OPT_DRD_OPT:
        case OPT_MEMCHECK_OPT: rc = add_tool_opt(c, opt, optarg); break;
        case 'q': c->quiet = true; break;
        case OPT_SCHEDULE:
            if (!systematic_schedule_valid(optarg))
                rc = usage_error("a schedule is a list K:T,K:T... of choice points and threads, not '%s'", optarg);
            o->schedule = optarg;
            break;
        case OPT_SEEDS:
        case OPT_FIRST_SEED:
        case OPT_SEED:
        case OPT_BOUND:
        case OPT_SYS_RUNS:
        case OPT_BUDGET:
        case OPT_MAX_PROCS:
        case OPT_MAX_MEMORY:
        case OPT_TIMEOUT: rc = take_number(o, opt, optarg); break;
        case 'h': print_usage(stdout, check_usage); return -1;
        default: return CHECK_USAGE;
        }
    }
    if (rc)
        return rc;
    for (int i = optind; i < end; i++)
        strvec_push(&o->sources, argv[i]);
    return check_together(c, root, work, baseline);
}

void check_cli_free(Cli *c)
{
    CheckOptions *o = &c->o;
    strvec_clear(&o->sources);
    strvec_clear(&o->cflags);
    strvec_clear(&o->ldflags);
    strvec_clear(&o->args);
    strvec_clear(&o->tsan_supp);
    for (int t = 0; t < DETECTOR_COUNT; t++)
        strvec_clear(&o->tool_opts[t]);
    strvec_clear(&o->vg_supp);
    free((char *)o->cache_dir);
    free(c->work_dir);
    free(c->root);
    free(c->exe);
}
