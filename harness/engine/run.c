#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "demangle.h"
#include "fs.h"
#include "strbuf.h"
#include "strvec.h"
#include "text.h"
#include "toolpaths.h"
#include "tsan_report.h"
#include "vg_report.h"

#define TSAN_EXIT 66
#define VALGRIND_EXIT 99
#define REPORT_MAX (64u << 20)

const char *run_status_name(RunStatus s)
{
    static const char *const n[] = {"ok", "error", "timeout", "deadlock"};
    return (unsigned)s < ARRAY_LEN(n) ? n[s] : "?";
}

double run_default_timeout(ToolId tool)
{
    return tool_is_valgrind(tool) ? 60 : tool == TOOL_TSAN ? 30 : 20;
}

void run_outcome_free(RunOutcome *o)
{
    free(o->error);
    proc_result_free(&o->proc);
    report_free(&o->report);
    free(o->run_dir);
    free(o->wrong_answer);
    memset(o, 0, sizeof *o);
}

static void fail(RunOutcome *o, RunStatus st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(RunOutcome *o, RunStatus st, const char *fmt, ...)
{
    if (o->error)
        return;
    va_list ap;
    va_start(ap, fmt);
    o->error = xvasprintf(fmt, ap);
    va_end(ap);
    o->status = st;
}

/* The only environment the program sees: nothing ambient (TSAN_OPTIONS,
 * VALGRIND_OPTS, a ~/.valgrindrc through HOME) can change a verdict. */
static void make_env(StrVec *env, const char *run_dir, const char *tsan_options)
{
    strvec_push(env, "PATH=/usr/local/bin:/usr/bin:/bin");
    strvec_pushf(env, "HOME=%s/home", run_dir);
    strvec_pushf(env, "TMPDIR=%s/tmp", run_dir);
    strvec_push(env, "LC_ALL=C");
    if (tsan_options)
        strvec_pushf(env, "TSAN_OPTIONS=%s", tsan_options);
}

static char *tsan_options(const char *run_dir, const RunOptions *opt)
{
    StrBuf sb = STRBUF_INIT;
    /* Every option that changes what is reported is set here, so a
     * program's own __tsan_default_options() cannot turn reports off. */
    sb_addf(&sb,
            "log_path=%s/tsan:exitcode=%d:halt_on_error=0:atexit_sleep_ms=0:report_bugs=1:"
            "report_thread_leaks=1:report_destroy_locked=1:report_mutex_bugs=1:report_signal_unsafe=1:"
            "detect_deadlocks=1:second_deadlock_stack=1:history_size=4:print_suppressions=0:"
            "ignore_noninstrumented_modules=0:verbosity=0:log_exe_name=0:abort_on_error=0",
            run_dir, TSAN_EXIT);
    for (size_t i = 0; opt->suppressions && i < opt->suppressions->n; i++)
        sb_addf(&sb, ":suppressions=%s", opt->suppressions->v[i]);
    return sb_steal(&sb);
}

static void read_tsan_logs(RunOutcome *o, const SourceSet *ss)
{
    DIR *d = opendir(o->run_dir);
    if (!d) {
        report_set_problem(&o->report, "cannot read %s: %s", o->run_dir, strerror(errno));
        return;
    }
    struct dirent *e;
    bool any = false;
    /* One log per process (log_path.PID): each is read as that process's,
     * then their counters are checked together (a forked child's counter
     * starts at its parent's). */
    TsanLogCounts *counts = NULL;
    char **names = NULL;
    size_t n = 0, cap = 0, ncap = 0, nn = 0;
    while ((e = readdir(d))) {
        if (!starts_with(e->d_name, "tsan."))
            continue;
        any = true;
        char *p = path_join(o->run_dir, e->d_name);
        size_t len = 0;
        bool cut = false;
        char *text = read_file(p, REPORT_MAX, &len, &cut);
        if (text) {
            char *name = xstrdup(e->d_name);
            PUSH(names, nn, ncap, name);
            TsanLogCounts c = {name, -1, 0};
            tsan_parse_log(text, len, &o->report, ss, &c);
            PUSH(counts, n, cap, c);
            if (cut)
                report_set_problem(&o->report, "TSan log larger than %u MiB: not read whole", REPORT_MAX >> 20);
        }
        free(text);
        free(p);
    }
    closedir(d);
    tsan_check_counts(counts, n, &o->report);
    free(counts);
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    /* TSan opens log_path only after mapping its shadow memory: a failure
     * there ("unexpected memory mapping") is on stderr. Only its problem is
     * taken: the program's own stderr must not make findings. */
    if (!any && o->proc.err && strstr(o->proc.err, "ThreadSanitizer")) {
        Report early;
        report_init(&early);
        tsan_parse(o->proc.err, o->proc.errlen, &early, ss);
        if (early.problem)
            report_set_problem(&o->report, "%s", early.problem);
        report_free(&early);
    }
}

static void read_vg_xml(RunOutcome *o, const SourceSet *ss)
{
    char *p = path_join(o->run_dir, "valgrind.xml");
    size_t len = 0;
    bool cut = false;
    char *xml = read_file(p, REPORT_MAX, &len, &cut);
    if (!xml) {
        char *lp = path_join(o->run_dir, "valgrind.log");
        char *log = read_file(lp, 4096, NULL, NULL);
        report_set_problem(&o->report, "Valgrind wrote no XML report%s%s", log && *log ? ": " : "",
                           log ? trim(log) : "");
        free(log);
        free(lp);
    } else if (cut) {
        report_set_problem(&o->report, "Valgrind XML larger than %u MiB: not read whole", REPORT_MAX >> 20);
    } else {
        vg_parse(xml, len, o->tool, &o->report, ss);
    }
    free(xml);
    free(p);
}

static void tool_argv(StrVec *v, ToolId tool, const char *exe, const StrVec *args, const char *run_dir,
                      const RunOptions *opt)
{
    strvec_pushv(v, opt->wrapper);
    if (tool_is_valgrind(tool)) {
        strvec_push(v, tool_paths.valgrind);
        strvec_pushf(v, "--tool=%s", tool_name(tool));
        strvec_push(v, "--xml=yes");
        strvec_pushf(v, "--xml-file=%s/valgrind.xml", run_dir);
        strvec_pushf(v, "--log-file=%s/valgrind.log", run_dir);
        strvec_pushf(v, "--error-exitcode=%d", VALGRIND_EXIT);
        strvec_push(v, "--num-callers=30");
        strvec_push(v, "--trace-children=no");
        strvec_push(v, "--child-silent-after-fork=yes");
        if (tool == TOOL_MEMCHECK) {
            strvec_push(v, "--leak-check=full");
            strvec_push(v, "--show-leak-kinds=definite,possible");
            strvec_push(v, "--errors-for-leak-kinds=definite,possible");
        }
        for (size_t i = 0; opt->suppressions && i < opt->suppressions->n; i++)
            strvec_pushf(v, "--suppressions=%s", opt->suppressions->v[i]);
    }
    strvec_push(v, exe);
    strvec_pushv(v, args->v);
}

static const char *signal_name(int sig)
{
    const char *s = sigabbrev_np(sig);
    return s ? s : "?";
}

void run_tool(ToolId tool, const char *exe, const StrVec *args, const RunOptions *opt, const SourceSet *ss,
              RunOutcome *o)
{
    memset(o, 0, sizeof *o);
    o->tool = tool;
    report_init(&o->report);
    char *tmpl = xasprintf("%s/run-XXXXXX", opt->work_dir);
    if (!mkdir_p(opt->work_dir) || !mkdtemp(tmpl)) {
        fail(o, RUN_ERROR, "cannot create a run directory in %s: %s", opt->work_dir, strerror(errno));
        free(tmpl);
        return;
    }
    o->run_dir = tmpl;
    char *home = path_join(o->run_dir, "home"), *tmp = path_join(o->run_dir, "tmp");
    mkdir_p(home);
    mkdir_p(tmp);
    free(home);
    free(tmp);

    char *topts = tool == TOOL_TSAN ? tsan_options(o->run_dir, opt) : NULL;
    StrVec env = STRVEC_INIT, argv = STRVEC_INIT;
    make_env(&env, o->run_dir, topts);
    tool_argv(&argv, tool, exe, args, o->run_dir, opt);
    ProcSpec ps = {
        .argv = argv.v,
        .envp = env.v,
        .cwd = o->run_dir, /* a fresh directory: no ./.valgrindrc of anyone's */
        .timeout = opt->timeout > 0 ? opt->timeout : run_default_timeout(tool),
        .keep = 1u << 20,
        .flood = 64u << 20,
        .fsize_limit = 256ll << 20,
        .dump_stacks = opt->dump_stacks && !tool_is_valgrind(tool), /* gdb would see Valgrind's own stacks */
    };
    proc_run(&ps, &o->proc);
    strvec_clear(&argv);
    strvec_clear(&env);
    free(topts);

    ProcResult *p = &o->proc;
    if (p->status == PROC_SPAWN_FAILED) {
        fail(o, RUN_ERROR, "%s could not start: %s", tool_is_valgrind(tool) ? "valgrind" : "the program", p->why);
        return;
    }
    /* TSan's log is read before a hang is judged: TSan that failed its own
     * CHECK may then hang in its error path (its deadlock detector keeps
     * 64 held locks), and that hang is TSan's, not the program's. */
    if (tool == TOOL_TSAN)
        read_tsan_logs(o, ss);
    bool hung = p->status == PROC_TIMEOUT || p->status == PROC_DEADLOCK;
    if (hung && o->report.problem && starts_with(o->report.problem, "TSan failed internally")) {
        fail(o, RUN_ERROR, "%s (then it hung: %s)", o->report.problem, p->why);
        free(p->stacks); /* TSan's own threads, stuck in its error path */
        p->stacks = NULL;
    } else if (p->status == PROC_TIMEOUT)
        fail(o, RUN_TIMEOUT, "%s", p->why);
    else if (p->status == PROC_DEADLOCK)
        fail(o, RUN_DEADLOCK, "%s", p->why);
    else if (p->status == PROC_FLOOD)
        fail(o, RUN_ERROR, "output flood: the program %s", p->why);
    if (tool_is_valgrind(tool) && o->status == RUN_OK)
        read_vg_xml(o, ss);
    report_demangle(&o->report);
    if (o->status != RUN_OK)
        return; /* a hang is reported as such; what was logged is kept */
    report_dedupe(&o->report, ss);

    Report *r = &o->report;
    if (r->crash) {
        const Frame *f = stack_user_frame(&r->crash_stack, ss);
        char *where = f ? frame_short(f) : NULL;
        fail(o, RUN_ERROR, "the program crashed: %s%s%s", r->crash, where ? " at " : "", where ? where : "");
        free(where);
        return;
    }
    if (r->problem) {
        fail(o, RUN_ERROR, "%s", r->problem);
        return;
    }
    if (p->status == PROC_SIGNALED) {
        fail(o, RUN_ERROR, "the program was killed by %s", signal_name(p->sig));
        return;
    }
    /* The exit code never proves a finding, but it must agree with the
     * report: TSan also exits 66 when it fails internally. */
    int tool_code = tool == TOOL_TSAN ? TSAN_EXIT : tool_is_valgrind(tool) ? VALGRIND_EXIT : -1;
    if (tool != TOOL_NATIVE && p->code == tool_code && r->n == 0) {
        fail(o, RUN_ERROR, "%s exited %d (its 'found something' code) but wrote no report: %s", tool_name(tool),
             p->code,
             tool == TOOL_TSAN ? "TSan may have failed internally (RLIMIT_NPROC too low, CHECK failed)"
                               : "the report is missing");
        return;
    }
    if (tool_is_valgrind(tool) && r->n > 0 && p->code != VALGRIND_EXIT) {
        fail(o, RUN_ERROR, "Valgrind reported %zu errors but exited %d: report and run disagree", r->n, p->code);
        return;
    }
    if (p->code != 0 && p->code != tool_code) {
        fail(o, RUN_ERROR, "the program exited with status %d%s", p->code,
             p->code == 127 ? " (could not be executed)" : "");
        return;
    }
}
