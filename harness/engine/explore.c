#include "explore.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "explore_protocol.h"
#include "explore_report.h"
#include "fs.h"
#include "measure.h"
#include "strbuf.h"
#include "text.h"
#include "toolpaths.h"
#include "utf8.h"

#define REPORT_MAX (16u << 20)

void explore_env(StrVec *env, const char *run_dir, const RunOptions *opt)
{
    strvec_pushf(env, "%s=%llu", EXPLORE_ENV_SEED, opt->seed);
    strvec_pushf(env, "%s=%s/explore.log", EXPLORE_ENV_REPORT, run_dir);
    if (opt->schedule)
        strvec_pushf(env, "%s=%s", EXPLORE_ENV_SCHEDULE, opt->schedule);
    if (opt->explore_preload)
        strvec_pushf(env, "LD_PRELOAD=%s/%s", runtime_dir(), EXPLORE_LIBRARY);
}

/* The last non-empty line of the program's stderr, printable. */
static char *last_err_line(const ProcResult *p)
{
    const char *pos = p->err, *line, *last = NULL;
    size_t len, lastlen = 0;
    while (next_line(&pos, &line, &len))
        if (len)
            last = line, lastlen = len;
    return last ? printable(last, lastlen > 300 ? 300 : lastlen) : NULL;
}

/* glibc's "prog: file.c:29: int get(void): Assertion `x' failed.": the
 * assertion's line is the finding's place. */
static void assertion_place(Finding *f, const char *msg)
{
    for (const char *p = strstr(msg, ": "); p; p = strstr(p + 1, ": ")) {
        const char *file = p + 2, *colon = strchr(file, ':');
        if (!colon || colon == file || strspn(colon + 1, "0123456789") == 0)
            continue;
        int line = atoi(colon + 1);
        const char *after = colon + 1 + strspn(colon + 1, "0123456789");
        if (*after != ':')
            continue;
        const char *fn = after + 1;
        while (*fn == ' ')
            fn++;
        const char *fn_end = strstr(fn, ": Assertion");
        char *file_s = xstrndup(file, (size_t)(colon - file));
        char *fn_s = fn_end ? xstrndup(fn, (size_t)(fn_end - fn)) : NULL;
        stack_add_frame(finding_add_stack(f, "the assertion", true), fn_s, file_s, line);
        free(file_s);
        free(fn_s);
        return;
    }
}

static void add_run_finding(RunOutcome *o, const char *kind, char *message)
{
    Finding *f = report_add(&o->report, TOOL_EXPLORE, kind);
    f->message = message;
}

void explore_read(RunOutcome *o, const char *exe, const SourceSet *ss)
{
    (void)ss;
    ProcResult *p = &o->proc;
    switch (p->status) {
    case PROC_SPAWN_FAILED: run_fail(o, RUN_ERROR, "the program could not start: %s", p->why); return;
    case PROC_TIMEOUT:
    case PROC_DEADLOCK:
        run_fail(o, RUN_TIMEOUT,
                 "%s under explore (a thread blocked outside the schedule, or the program's own "
                 "endless loop)",
                 p->why);
        break;
    case PROC_FLOOD: run_fail(o, RUN_ERROR, "output flood: the program %s", p->why); return;
    default: break;
    }
    char *path = path_join(o->run_dir, "explore.log");
    size_t len = 0;
    bool cut = false;
    char *text = read_file(path, REPORT_MAX, &len, &cut);
    free(path);
    if (!text) {
        run_fail(o, RUN_ERROR, "the explore runtime wrote no report: was the program built for explore?");
        return;
    }
    if (cut) {
        free(text);
        run_fail(o, RUN_ERROR, "the explore report is larger than %u MiB: not read", REPORT_MAX >> 20);
        return;
    }
    ExploreInfo info;
    explore_parse(text, len, exe, &o->report, &info);
    free(text);
    o->replays_exactly = !info.released;
    bool stuck_exit = p->status == PROC_EXITED && p->code == EXPLORE_EXIT_STUCK;
    if (o->status != RUN_OK) {
        /* a hang: what was logged is kept */
    } else if (o->report.problem) {
        run_fail(o, RUN_ERROR, "%s", o->report.problem);
    } else if (stuck_exit != info.stuck) {
        run_fail(o, RUN_ERROR,
                 "the explore report and the program's exit disagree (exit %d, %s): a report the "
                 "program wrote over?",
                 p->code, info.stuck ? "a deadlock reported" : "no deadlock reported");
    } else if (p->status == PROC_SIGNALED) {
        char *err = last_err_line(p);
        bool assertion = p->sig == SIGABRT && err && (strstr(err, "Assertion") || strstr(err, "assertion"));
        const char *name = sigabbrev_np(p->sig);
        add_run_finding(o, assertion ? "assertion" : "crash",
                        assertion
                            ? xasprintf("%s", err)
                            : xasprintf("killed by SIG%s%s%s", name ? name : "?", err ? ": " : "", err ? err : ""));
        if (assertion)
            assertion_place(&o->report.items[o->report.n - 1], err);
        free(err);
    } else if (p->status == PROC_EXITED && p->code != 0 && !stuck_exit) {
        char *err = last_err_line(p);
        add_run_finding(o, "exit-status",
                        xasprintf("exited with status %d%s%s", p->code, err ? ": " : "", err ? err : ""));
        free(err);
    }
    explore_info_free(&info);
}

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
    char *path = path_join(o->run_dir, "explore.log");
    size_t len = 0;
    char *text = read_file(path, REPORT_MAX, &len, NULL);
    free(path);
    free(o->trace);
    o->trace = text ? explore_trace(text, len, exe) : xstrdup("");
    free(text);
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
