/* `racelab check`: the gate for any C program (docs/check.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "check.h"
#include "cli.h"
#include "fs.h"
#include "gdb_stacks.h"
#include "json_report.h"
#include "junit.h"
#include "sarif.h"
#include "spec.h"
#include "strvec.h"
#include "text.h"
#include "toolpaths.h"

static const char check_usage[] =
    "usage: racelab check FILE.c... [options] [-- ARGS...]\n"
    "       racelab check --exe PROGRAM [options] [-- ARGS...]\n"
    "Builds the program with ThreadSanitizer (clang) and natively (gcc), runs it\n"
    "under each tool and fails on any finding not in the baseline.\n"
    "  --tools LIST          tsan,helgrind,drd,memcheck (default: all four)\n"
    "  --exe PROGRAM         check a binary you built: TSan-instrumented ones run\n"
    "                        under TSan, plain ones under the Valgrind tools\n"
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
    "                        valgrind 60); a hang is reported with its stacks\n"
    "  --params-from CASE.c  take ARGS from a lab case's `params:` line\n"
    "  --work-dir DIR        builds and runs (default: @WORK@)\n"
    "  --keep                keep every run's logs (undecided runs always keep theirs)\n"
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
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

typedef struct {
    CheckOptions o;
    const char *json, *sarif, *junit, *params_from;
    bool update, quiet;
    char *work_dir, *root, *exe;
} Cli;

static int usage_error(const char *fmt, const char *arg)
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
        if (strchr(real, ':')) {
            free(real);
            return usage_error("TSan cannot read a suppressions path with ':' in it: '%s'", path);
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

static int parse(Cli *c, int argc, char **argv)
{
    CheckOptions *o = &c->o;
    o->tools = (1u << TOOL_TSAN) | (1u << TOOL_HELGRIND) | (1u << TOOL_DRD) | (1u << TOOL_MEMCHECK);
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
                rc = usage_error("--tools: %s", err ? err : "native is not a detector; use tsan,helgrind,drd,memcheck");
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
        case 'q': c->quiet = true; break;
        case OPT_TIMEOUT: {
            char *e;
            o->timeout = strtod(optarg, &e);
            if (*e || e == optarg || !(o->timeout > 0 && o->timeout <= 86400))
                rc = usage_error("--timeout must be a number of seconds, 0 < S <= 86400, not '%s'", optarg);
            break;
        }
        case 'h': print_usage(stdout, check_usage); return -1;
        default: return CHECK_USAGE;
        }
    }
    if (rc)
        return rc;
    for (int i = optind; i < end; i++)
        strvec_push(&o->sources, argv[i]);
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
    o->work_dir = c->work_dir;
    o->cache_dir = path_join(c->work_dir, "cache");
    return 0;
}

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
        if (!rep->n)
            printf("%s: clean  [%.2f s]\n", tool_name(tr->tool), tr->seconds);
        else
            printf("%s: %zu finding%s, %zu new  [%.2f s]\n", tool_name(tr->tool), rep->n, rep->n == 1 ? "" : "s",
                   tr->nnew, tr->seconds);
    }
    for (size_t i = 0; i < rep->n; i++) {
        if (quiet && tr->baselined[i])
            continue;
        printf("  %s\n", tr->baselined[i] ? "baselined:" : "NEW:");
        finding_print(stdout, &rep->items[i], &r->ss, "    ");
    }
}

static void print_run(const CheckRun *r, bool quiet)
{
    const CheckOptions *o = r->opt;
    if (!quiet) {
        printf("racelab check %s:", r->name);
        for (int t = 0; t < DETECTOR_COUNT; t++)
            if (o->tools & (1u << t))
                printf(" %s", tool_name((ToolId)t));
        printf("\n");
    }
    for (int t = 0; t < DETECTOR_COUNT; t++)
        if (o->skipped & (1u << t))
            printf("%s: skipped: %s is %sTSan-instrumented\n", tool_name((ToolId)t), o->exe,
                   t == TOOL_TSAN ? "not " : "");
    /* A compile error is shown once, whichever tools needed the build. */
    for (int k = 0; k < 2; k++) {
        if (r->tried[k] && !r->builds[k].ok) {
            printf("does not compile (%s):\n%s", r->builds[k].command ? r->builds[k].command : "?",
                   r->builds[k].log ? r->builds[k].log : "");
        }
    }
    for (size_t i = 0; i < r->nresults; i++)
        print_tool(r, &r->results[i], quiet);
}

/* Entries of tools that ran and decided, matched by nothing: fixed, or
 * gone for now. A tool that could not decide says nothing about them. */
static void print_stale(const Baseline *b, const CheckRun *r)
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

/* The new baseline: this run's findings, and the old entries of tools
 * that did not run this time. */
static bool update_baseline(const CheckRun *r, const Baseline *old, char **err)
{
    Baseline nb = {0};
    for (size_t i = 0; old && i < old->n; i++) {
        ToolId t;
        if (tool_from_name(old->items[i].tool, &t) && (r->opt->tools & (1u << t)))
            continue;
        for (unsigned k = 0; k < old->items[i].count; k++)
            baseline_add(&nb, old->items[i].fingerprint, old->items[i].key, old->items[i].tool, old->items[i].summary);
    }
    for (size_t i = 0; i < r->nresults; i++) {
        const ToolResult *tr = &r->results[i];
        for (size_t k = 0; k < tr->run.report.n; k++) {
            char *sum = finding_summary(&tr->run.report.items[k], &r->ss);
            baseline_add(&nb, tr->fingerprints[k], tr->keys[k], tool_name(tr->tool), sum);
            free(sum);
        }
    }
    bool ok = baseline_save(&nb, r->opt->baseline_path, err);
    baseline_free(&nb);
    return ok;
}

static void verdict_line(const CheckRun *r, int code, bool updated)
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
    printf(" (exit %d)\n", code);
}

static void cli_free(Cli *c)
{
    CheckOptions *o = &c->o;
    strvec_clear(&o->sources);
    strvec_clear(&o->cflags);
    strvec_clear(&o->ldflags);
    strvec_clear(&o->args);
    strvec_clear(&o->tsan_supp);
    strvec_clear(&o->vg_supp);
    free((char *)o->cache_dir);
    free(c->work_dir);
    free(c->root);
    free(c->exe);
}

int cmd_check(int argc, char **argv)
{
    Cli c = {.o = {.sources = STRVEC_INIT,
                   .cflags = STRVEC_INIT,
                   .ldflags = STRVEC_INIT,
                   .args = STRVEC_INIT,
                   .tsan_supp = STRVEC_INIT,
                   .vg_supp = STRVEC_INIT}};
    int rc = parse(&c, argc, argv);
    if (rc) {
        cli_free(&c);
        return rc < 0 ? 0 : rc;
    }
    CheckOptions *o = &c.o;
    if (o->exe) {
        unsigned apply = 0;
        bool tsan = false;
        char *err = NULL;
        if (!check_exe_tools(o->exe, o->tools, &apply, &tsan, &err)) {
            rc = usage_error("--exe: %s", err);
            free(err);
            cli_free(&c);
            return rc;
        }
        o->skipped = o->tools & ~apply;
        o->tools = apply;
        if (!apply) {
            rc = usage_error(tsan ? "%s is TSan-instrumented: only --tools tsan applies"
                                  : "%s is not TSan-instrumented: use --tools helgrind,drd,memcheck or build it "
                                    "with clang -fsanitize=thread",
                             o->exe);
            cli_free(&c);
            return rc;
        }
    }
    Baseline baseline = {0};
    bool have_baseline = false;
    if (o->baseline_path && (file_exists(o->baseline_path) || !c.update)) {
        char *err = NULL;
        if (!baseline_load(o->baseline_path, &baseline, &err)) {
            rc = usage_error("--baseline: %s (create it with --update-baseline)", err);
            free(err);
            cli_free(&c);
            return rc;
        }
        have_baseline = true;
        o->baseline = &baseline;
    }

    CheckRun run;
    check_run(o, &run);
    int code = run.exit_code;
    print_run(&run, c.quiet);
    if (have_baseline)
        print_stale(&baseline, &run);

    const struct {
        const char *path;
        bool (*write)(const CheckRun *, const char *, char **);
    } outputs[] = {{c.json, json_report_write}, {c.sarif, sarif_write}, {c.junit, junit_write}};
    for (size_t i = 0; i < ARRAY_LEN(outputs); i++) {
        char *err = NULL;
        if (outputs[i].path && !outputs[i].write(&run, outputs[i].path, &err)) {
            printf("racelab check: %s\n", err);
            free(err);
            code = CHECK_UNDECIDED; /* the CI would read a missing or stale report */
        }
    }
    bool updated = false;
    if (c.update) {
        char *err = NULL;
        if (code == CHECK_UNDECIDED) {
            printf("racelab check: baseline not written: the run could not decide\n");
        } else if (!update_baseline(&run, have_baseline ? &baseline : NULL, &err)) {
            printf("racelab check: %s\n", err);
            free(err);
            code = CHECK_UNDECIDED;
        } else {
            printf("racelab check: baseline %s: %zu finding%s accepted\n", o->baseline_path, run.nfindings,
                   run.nfindings == 1 ? "" : "s");
            code = CHECK_CLEAN;
            updated = true;
        }
    }
    verdict_line(&run, code, updated);
    fflush(stdout);
    check_run_free(&run);
    baseline_free(&baseline);
    cli_free(&c);
    return code;
}
