/* explore's half of a run (run.c calls it for TOOL_EXPLORE): the
 * variables that start the schedule controller in the program, and what
 * the run did, read from the runtime's report, its exit and its signal;
 * and the trace of a schedule that is shown. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "elf_symbols.h"
#include "explore_protocol.h"
#include "explore_report.h"
#include "fs.h"
#include "run_internal.h"
#include "symbolize.h"
#include "text.h"
#include "toolpaths.h"
#include "utf8.h"

#define EXPLORE_LOG_MAX (16u << 20)

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

/* What only the program can say of the report's addresses: the lines of
 * its code (addr2line), the globals at its data (its ELF symbols). */
static void look_up(ExploreLog *log, const char *exe, Report *r)
{
    char *err = NULL;
    ElfImage *elf = elf_open(exe, &err);
    free(err);
    err = NULL;
    size_t n;
    const uint64_t *data = explore_log_data(log, &n);
    for (size_t i = 0; elf && i < n; i++)
        explore_log_name_data(log, i, elf_data_symbol(elf, data[i]));
    elf_close(elf);
    CodeLoc *locs = explore_log_code(log, &n);
    if (!symbolize(exe, locs, n, &err)) {
        report_set_problem(r, "cannot read the program's lines: %s", err);
        free(err);
    }
}

/* The findings of a report, into r. */
static void explore_parse(const char *text, size_t len, const char *exe, Report *r, ExploreInfo *info)
{
    ExploreLog *log = explore_log_read(text, len, false, r, info);
    look_up(log, exe, r);
    explore_log_findings(log, r, info);
    explore_log_free(log);
}

/* The trace of a report, with the runtime's notes. */
static char *explore_trace(const char *text, size_t len, const char *exe)
{
    Report scratch;
    report_init(&scratch);
    ExploreInfo info;
    ExploreLog *log = explore_log_read(text, len, true, &scratch, &info);
    look_up(log, exe, &scratch);
    char *out = explore_log_trace(log, &info);
    explore_log_free(log);
    explore_info_free(&info);
    report_free(&scratch);
    return out;
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
    char *text = read_file(path, EXPLORE_LOG_MAX, &len, &cut);
    free(path);
    if (!text) {
        run_fail(o, RUN_ERROR, "the explore runtime wrote no report: was the program built for explore?");
        return;
    }
    if (cut) {
        free(text);
        run_fail(o, RUN_ERROR, "the explore report is larger than %u MiB: not read", EXPLORE_LOG_MAX >> 20);
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

char *run_explore_trace(const RunOutcome *o, const char *exe)
{
    char *path = path_join(o->run_dir, "explore.log");
    size_t len = 0;
    char *text = read_file(path, EXPLORE_LOG_MAX, &len, NULL);
    free(path);
    char *trace = text ? explore_trace(text, len, exe) : xstrdup("");
    free(text);
    return trace;
}
