/* `racelab check`: the gate for any C or C++ program (docs/check.md). */
#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "check_cli.h"
#include "cli.h"
#include "fs.h"
#include "json_report.h"
#include "junit.h"
#include "sarif.h"

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

int cmd_check(int argc, char **argv)
{
    Cli c = {.o = {.sources = STRVEC_INIT,
                   .cflags = STRVEC_INIT,
                   .ldflags = STRVEC_INIT,
                   .args = STRVEC_INIT,
                   .tsan_supp = STRVEC_INIT,
                   .tool_opts = {STRVEC_INIT, STRVEC_INIT, STRVEC_INIT, STRVEC_INIT},
                   .vg_supp = STRVEC_INIT}};
    int rc = check_parse(&c, argc, argv);
    if (rc) {
        check_cli_free(&c);
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
            check_cli_free(&c);
            return rc;
        }
        o->skipped = o->tools & ~apply;
        o->tools = apply;
        if (!apply) {
            rc = usage_error(tsan ? "%s is TSan-instrumented: only --tools tsan applies"
                                  : "%s is not TSan-instrumented: use --tools helgrind,drd,memcheck or build it "
                                    "with clang -fsanitize=thread",
                             o->exe);
            check_cli_free(&c);
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
            check_cli_free(&c);
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
    check_cli_free(&c);
    return code;
}
