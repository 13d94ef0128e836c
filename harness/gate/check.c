#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "elf_symbols.h"
#include "explore.h"
#include "fs.h"
#include "measure.h"
#include "strbuf.h"
#include "text.h"
#include "toollimits.h"

const char *check_outcome_name(int code)
{
    switch (code) {
    case CHECK_CLEAN: return "CLEAN";
    case CHECK_FINDINGS: return "FINDINGS";
    case CHECK_USAGE: return "USAGE";
    default: return "UNDECIDED";
    }
}

const char *check_status_name(const ToolResult *tr)
{
    if (!tr->ran || (tr->run.status == RUN_OK && tr->error))
        return "error";
    return run_status_name(tr->run.status);
}

bool check_exe_tools(const char *exe, unsigned wanted, unsigned *apply, bool *tsan, char **err)
{
    if (!elf_has_symbol(exe, "__tsan_init", tsan, err))
        return false;
    /* Valgrind cannot run a TSan binary (its shadow memory), and TSan
     * sees nothing in a binary it did not instrument. */
    unsigned fits = *tsan ? 1u << TOOL_TSAN
                          : (1u << TOOL_HELGRIND) | (1u << TOOL_DRD) | (1u << TOOL_MEMCHECK) | (1u << TOOL_EXPLORE);
    *apply = wanted & fits;
    return true;
}

void check_decide(ToolResult *tr)
{
    const Report *r = &tr->run.report;
    if (tr->error)
        return; /* the build failed */
    if (!tr->ran)
        tr->error = xstrdup("the tool did not run");
    else if (tr->run.status != RUN_OK)
        tr->error = xstrdup(tr->run.error ? tr->run.error : run_status_name(tr->run.status));
    /* run_tool already fails a run on these; checked again so that no
     * report with a problem can ever pass the gate. */
    else if (r->problem)
        tr->error = xstrdup(r->problem);
    else if (r->crash && !r->n)
        tr->error = xasprintf("the program crashed: %s", r->crash);
}

void check_match(ToolResult *tr, const SourceSet *ss, Baseline *baseline, const LimitContext *lc, bool strict)
{
    const Report *r = &tr->run.report;
    tr->fingerprints = xcalloc(r->n + 1, sizeof(char *));
    tr->keys = xcalloc(r->n + 1, sizeof(char *));
    tr->baselined = xcalloc(r->n + 1, sizeof(bool));
    tr->limitation = xcalloc(r->n + 1, sizeof(char *));
    tr->nnew = tr->nlimits = 0;
    for (size_t i = 0; i < r->n; i++) {
        tr->keys[i] = fingerprint_key(&r->items[i], ss);
        tr->fingerprints[i] = fingerprint_of_key(tr->keys[i]);
        tr->limitation[i] = lc ? finding_limitation(&r->items[i], lc) : NULL;
        /* a known limitation needs no baseline entry, unless --strict
         * counts it like any other finding */
        bool counted = !tr->limitation[i] || strict;
        tr->baselined[i] = counted && baseline && baseline_take(baseline, tr->fingerprints[i]);
        tr->nnew += counted && !tr->baselined[i];
        tr->nlimits += tr->limitation[i] != NULL;
    }
}

void check_judge(ToolResult *tr, const SourceSet *ss, Baseline *baseline)
{
    check_match(tr, ss, baseline, NULL, false);
    check_decide(tr);
}

bool check_is_new(const ToolResult *tr, size_t i, bool strict)
{
    return !tr->baselined[i] && (!tr->limitation[i] || strict);
}

/* Findings win: a new finding in a whole report fails the gate even when
 * a tool could not finish (a deadlock or a hang after the race); only a
 * report with a problem (cut off, garbled) gives nothing to go on. */
int check_exit_code(const CheckRun *r)
{
    bool undecided = !r->nresults, found = false;
    for (size_t i = 0; i < r->nresults; i++) {
        const ToolResult *tr = &r->results[i];
        undecided = undecided || tr->error;
        found = found || (tr->nnew && tr->ran && !tr->run.report.problem);
    }
    return found ? CHECK_FINDINGS : undecided ? CHECK_UNDECIDED : CHECK_CLEAN;
}

static const char *build_exe(CheckRun *r, ToolId tool, char **error)
{
    const CheckOptions *o = r->opt;
    if (o->exe)
        return o->exe;
    BuildKind k = build_kind_for(tool);
    if (!r->tried[k]) {
        BuildSpec bs = {
            .sources = &o->sources, .kind = k, .cache_dir = o->cache_dir, .cflags = &o->cflags, .ldflags = &o->ldflags};
        build_program(&bs, &r->builds[k]);
        r->tried[k] = true;
    }
    if (r->builds[k].ok)
        return r->builds[k].exe;
    *error = check_build_failure(r, k);
    return NULL;
}

char *check_build_failure(const CheckRun *r, BuildKind k)
{
    const BuildResult *b = &r->builds[k];
    const char *cmd = b->command ? b->command : "?";
    /* the compiler or the linker could not write: the disk, not the code */
    if ((b->log && strstr(b->log, "No space left on device")) || fs_nearly_full(r->opt->cache_dir))
        return xasprintf("no space left on the device of %s: the build cannot write its output (%s)",
                         r->opt->cache_dir, cmd);
    return xasprintf("does not compile (%s)", cmd);
}

/* "racelab check a.c b.c --cflags '...' --tools explore --seed %llu -- ARGS" */
static char *replay_command(const CheckOptions *o)
{
    StrVec v = STRVEC_INIT;
    strvec_push(&v, "racelab");
    strvec_push(&v, "check");
    if (o->exe) {
        strvec_push(&v, "--exe");
        strvec_push(&v, o->exe);
    }
    strvec_pushv(&v, o->sources.v);
    if (o->cflags.n) {
        strvec_push(&v, "--cflags");
        char *c = strvec_join_quoted(&o->cflags);
        strvec_push(&v, c);
        free(c);
    }
    if (o->ldflags.n) {
        strvec_push(&v, "--ldflags");
        char *c = strvec_join_quoted(&o->ldflags);
        strvec_push(&v, c);
        free(c);
    }
    strvec_push(&v, "--tools");
    strvec_push(&v, "explore");
    strvec_push(&v, "--seed");
    strvec_push(&v, "SEED");
    if (o->args.n) {
        strvec_push(&v, "--");
        strvec_pushv(&v, o->args.v);
    }
    char *cmd = strvec_join_quoted(&v);
    strvec_clear(&v);
    /* the seed goes where SEED is; a % of the user's own is kept as it is */
    StrBuf fmt = STRBUF_INIT;
    for (const char *p = cmd; *p; p++) {
        if (starts_with(p, "--seed SEED")) {
            sb_add(&fmt, "--seed %llu");
            p += strlen("--seed SEED") - 1;
        } else if (*p == '%') {
            sb_add(&fmt, "%%");
        } else {
            sb_addch(&fmt, *p);
        }
    }
    free(cmd);
    return sb_steal(&fmt);
}

/* explore: one run per seed until a schedule shows a finding (a crash, a
 * non-zero exit, a deadlock, a lock-order cycle), within the budget. */
/* The replay command of a systematic schedule: the same, with
 * --schedule '%s' for the seed (a % of the user's own doubled). */
static char *schedule_replay(const CheckOptions *o)
{
    char *seeded = replay_command(o);
    StrBuf sb = STRBUF_INIT;
    for (const char *p = seeded; *p; p++) {
        if (starts_with(p, "--seed %llu")) {
            sb_add(&sb, "--schedule '%s'");
            p += strlen("--seed %llu") - 1;
        } else {
            sb_addch(&sb, *p);
        }
    }
    free(seeded);
    return sb_steal(&sb);
}

/* explore: every schedule within the preemption bound first (unless a
 * schedule or a seed is replayed), then random schedules, one run per
 * seed, until one shows a finding (a crash, a non-zero exit, a deadlock,
 * a lock-order cycle), within the budget. */
static void explore_tool(CheckRun *r, ToolResult *tr, const char *exe, RunOptions *ro)
{
    const CheckOptions *o = r->opt;
    ro->explore_preload = o->exe != NULL;
    if (o->schedule) {
        systematic_replay(exe, &o->args, ro, o->schedule, &r->ss, NULL, NULL, &tr->run);
        tr->explored = 1;
        return;
    }
    double budget = o->explore_budget;
    if (o->bound >= 0 && !o->replay) {
        char *sreplay = schedule_replay(o);
        SystematicSpec sp = {.max_bound = o->bound,
                             .max_runs = o->systematic_runs > 0 ? o->systematic_runs : SYSTEMATIC_DEFAULT_RUNS,
                             /* the search's share: half the budget, at most 10 s (then random schedules) */
                             .budget = budget > 0 ? (budget / 2 < 10 ? budget / 2 : 10) : 10,
                             .replay = sreplay};
        systematic_search(exe, &o->args, ro, &sp, &r->ss, &tr->sys);
        tr->systematic_ran = true;
        tr->sys_text = systematic_verdict_text(&tr->sys, sources_use_atomics(&r->ss));
        free(sreplay);
        budget = budget > 0 ? budget - tr->sys.seconds : 0;
        if (tr->sys.verdict == SYS_FOUND || tr->sys.verdict == SYS_UNDECIDED) {
            tr->run = tr->sys.run;
            memset(&tr->sys.run, 0, sizeof tr->sys.run);
            tr->explored = tr->sys.runs;
            tr->explore_failing = tr->sys.verdict == SYS_FOUND;
            return;
        }
    }
    char *replay = replay_command(o);
    ExploreLoop l = {.first_seed = o->first_seed ? o->first_seed : 1,
                     .seeds = o->replay      ? 1
                              : o->seeds > 0 ? o->seeds
                                             : EXPLORE_DEFAULT_SEEDS,
                     .budget = o->replay ? 0 : budget > 1 ? budget : 1,
                     .replay = replay};
    ExploreResult er;
    explore_loop(exe, &o->args, ro, &l, &r->ss, &er);
    tr->run = er.run;
    memset(&er.run, 0, sizeof er.run);
    /* the bounded search's evidence counts too (every schedule it ran) */
    if (tr->systematic_ran)
        report_take_evidence(&tr->run.report, &tr->sys.run.report);
    tr->explored = er.runs;
    tr->explore_failing = er.failing;
    tr->explore_budget_hit = er.budget_hit;
    free(replay);
}

void check_run(const CheckOptions *o, CheckRun *r)
{
    memset(r, 0, sizeof *r);
    r->opt = o;
    double t0 = now_seconds();
    const char *base = path_base(o->exe ? o->exe : o->sources.v[0]);
    size_t stem = strcspn(base, ".");
    r->name = xstrndup(base, stem ? stem : strlen(base));
    for (size_t i = 0; i < o->sources.n; i++)
        sources_add(&r->ss, o->sources.v[i]);
    r->results = xcalloc(DETECTOR_COUNT, sizeof(ToolResult));
    for (int t = 0; t < DETECTOR_COUNT; t++) {
        if (!(o->tools & (1u << t)))
            continue;
        ToolResult *tr = &r->results[r->nresults++];
        tr->tool = (ToolId)t;
        double ts = now_seconds();
        const char *exe = build_exe(r, tr->tool, &tr->error);
        if (exe) {
            bool tsan = tr->tool == TOOL_TSAN;
            RunOptions ro = {
                .work_dir = o->work_dir,
                .timeout = o->timeout,
                .suppressions = tsan ? &o->tsan_supp : &o->vg_supp,
                .keep_run_dir = o->keep,
                .dump_stacks = true, /* a hang is shown with its threads' stacks */
                .tool_opts = &o->tool_opts[t],
                .max_procs = o->max_procs,
                .max_memory = o->max_memory,
            };
            if (tr->tool == TOOL_EXPLORE)
                explore_tool(r, tr, exe, &ro);
            else
                run_tool(tr->tool, exe, &o->args, &ro, &r->ss, &tr->run);
            tr->ran = true;
        }
        check_decide(tr);
        tr->seconds = now_seconds() - ts;
        /* An undecided run keeps its logs for a human (only its logs). */
        if (tr->ran && !tr->error && !o->keep && tr->run.run_dir && remove_tree(tr->run.run_dir)) {
            free(tr->run.run_dir);
            tr->run.run_dir = NULL;
        } else if (tr->ran && tr->error && !o->keep && tr->run.run_dir) {
            run_prune(tr->run.run_dir);
        }
    }
    /* Known tool limitations are told apart with every tool's report at
     * hand: TSan's word decides whether Helgrind's race on atomics is one. */
    LimitContext lc = {.ss = &r->ss, .atomics = sources_use_atomics(&r->ss)};
    for (size_t i = 0; i < r->nresults; i++)
        if (!r->results[i].error)
            lc.decided[r->results[i].tool] = &r->results[i].run.report;
    for (size_t i = 0; i < r->nresults; i++) {
        ToolResult *tr = &r->results[i];
        check_match(tr, &r->ss, o->baseline, &lc, o->strict);
        /* findings win over how the program ended only when one counts:
         * baselined ones and known limitations decide nothing */
        if (tr->run.ended && !tr->nnew && !tr->error)
            tr->error = xasprintf("the program %s (its findings are all baselined or known tool limitations: "
                                  "nothing decides)",
                                  tr->run.ended);
        size_t counted = tr->run.report.n - (o->strict ? 0 : tr->nlimits);
        r->nfindings += tr->run.report.n;
        r->nnew += tr->nnew;
        r->nbaselined += counted - tr->nnew;
        r->nlimits += tr->nlimits;
        r->nundecided += tr->error != NULL;
    }
    r->exit_code = check_exit_code(r);
    r->seconds = now_seconds() - t0;
}

void check_run_free(CheckRun *r)
{
    for (size_t i = 0; i < r->nresults; i++) {
        ToolResult *tr = &r->results[i];
        for (size_t k = 0; k < tr->run.report.n; k++) {
            free(tr->fingerprints[k]);
            free(tr->keys[k]);
        }
        free(tr->fingerprints);
        free(tr->keys);
        free(tr->baselined);
        free(tr->limitation);
        free(tr->error);
        run_outcome_free(&tr->run);
        systematic_result_free(&tr->sys);
        free(tr->sys_text);
    }
    free(r->results);
    for (int k = 0; k < BUILD_KIND_COUNT; k++)
        build_result_free(&r->builds[k]);
    sources_free(&r->ss);
    free(r->name);
    memset(r, 0, sizeof *r);
}
