#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "cgroup.h"
#include "demangle.h"
#include "elf_symbols.h"
#include "fs.h"
#include "run_internal.h"
#include "stop.h"
#include "strbuf.h"
#include "strvec.h"
#include "text.h"
#include "toolpaths.h"

/* The only environment the program sees: nothing ambient (TSAN_OPTIONS,
 * VALGRIND_OPTS, a ~/.valgrindrc through HOME) can change a verdict. */
static void make_env(StrVec *env, const char *run_dir, const char *tsan_options)
{
    strvec_push(env, "PATH=/usr/local/bin:/usr/bin:/bin");
    strvec_pushf(env, "HOME=%s/home", run_dir);
    strvec_pushf(env, "TMPDIR=%s/tmp", run_dir);
    strvec_push(env, "LC_ALL=C");
    strvec_push(env, stop_token_env()); /* what a run starts is found on a stop */
    if (tsan_options)
        strvec_pushf(env, "TSAN_OPTIONS=%s", tsan_options);
}

bool run_is_log(const char *name)
{
    return starts_with(name, "tsan.") || !strcmp(name, "valgrind.xml") || !strcmp(name, "valgrind.log") ||
           !strcmp(name, "explore.log");
}

/* An undecided run keeps its logs for a human, not what the program wrote
 * (a program that filled its directory must not fill the disk as well):
 * everything else goes, and each log is cut at LOG_KEEP. */
#define LOG_KEEP (16ll << 20)
void run_prune(const char *run_dir)
{
    DIR *d = opendir(run_dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *p = path_join(run_dir, e->d_name);
        struct stat st;
        if (!run_is_log(e->d_name))
            remove_tree(p);
        else if (stat(p, &st) == 0 && st.st_size > LOG_KEEP && truncate(p, LOG_KEEP) != 0)
            remove_tree(p);
        free(p);
    }
    closedir(d);
}

static const char *signal_name(int sig)
{
    const char *s = sigabbrev_np(sig);
    return s ? s : "?";
}

/* What of the bounds asked for could not be set here, or NULL. */
static char *unbounded_note(const CgroupSet *cg, const RunOptions *opt)
{
    bool procs = opt->max_procs > 0 && !cg->pids, mem = opt->max_memory > 0 && !cg->memory;
    if (!procs && !mem)
        return NULL;
    return xasprintf("%s%s%s not enforced: no cgroup for them here (racelab needs root, or a cgroup v2 with "
                     "the pids and memory controllers delegated to it)",
                     procs ? "--max-procs" : "", procs && mem ? " and " : "", mem ? "--max-memory" : "");
}

static void limit_fail(RunOutcome *o, const RunOptions *opt)
{
    if (!strcmp(o->proc.limit, "pids")) {
        run_fail(o, RUN_ERROR,
                 "the program reached the process limit: at most %lld processes+threads (--max-procs); "
                 "stopped (a fork bomb, or threads without bound?)",
                 opt->max_procs);
    } else {
        char *b = cgroup_bytes_text(opt->max_memory);
        run_fail(o, RUN_ERROR, "the program reached the memory limit of %s (--max-memory)%s", b,
                 o->proc.status == PROC_SIGNALED || o->proc.status == PROC_LIMIT ? " and was killed" : "");
        free(b);
    }
}

/* A fresh directory for the run, with the program's HOME and TMPDIR;
 * false, with the run failed, if it cannot be made. */
static bool make_run_dir(RunOutcome *o, const RunOptions *opt)
{
    char *tmpl = xasprintf("%s/run-XXXXXX", opt->work_dir);
    if (!mkdir_p(opt->work_dir) || !mkdtemp(tmpl)) {
        run_fail(o, RUN_ERROR, "cannot create a run directory in %s: %s", opt->work_dir, strerror(errno));
        free(tmpl);
        return false;
    }
    o->run_dir = tmpl;
    stop_watch_dir(o->run_dir); /* removed on a stop; once run, the caller's */
    char *home = path_join(o->run_dir, "home"), *tmp = path_join(o->run_dir, "tmp");
    mkdir_p(home);
    mkdir_p(tmp);
    free(home);
    free(tmp);
    return true;
}

/* Runs argv (the tool's command, the program last) with env, behind the
 * wrapper, bounded: o->proc. */
/* Whether the program can set up a way to be woken by a signal: it
 * imports a call that installs a handler or arms a timer, or one that
 * could reach such a call unseen (syscall, dlsym). Under Valgrind the
 * process catches every signal itself, so /proc cannot tell; a program
 * that imports none of these waits in futex(2) for nobody. Unreadable:
 * yes. */
static bool may_await_signal(const char *exe)
{
    static const char *const calls[] = {"signal",       "sigaction",  "__sigaction", "__libc_sigaction",
                                        "ssignal",      "__sysv_signal", "sysv_signal", "bsd_signal",
                                        "sigset",       "sigvec",     "alarm",       "ualarm",
                                        "setitimer",    "timer_create", "signalfd",  "syscall",
                                        "dlsym",        "dlvsym",     "dlopen",      "dlmopen"};
    char *err = NULL;
    ElfImage *elf = elf_open(exe, &err);
    free(err);
    if (!elf)
        return true;
    StrVec imports = STRVEC_INIT;
    elf_imports(elf, &imports);
    elf_close(elf);
    bool may = imports.n == 0; /* a static executable: its calls are not to be seen */
    for (size_t i = 0; i < imports.n && !may; i++) {
        char *at = strchr(imports.v[i], '@'); /* "sigaction@GLIBC_2.2.5" */
        size_t len = at ? (size_t)(at - imports.v[i]) : strlen(imports.v[i]);
        for (size_t k = 0; k < ARRAY_LEN(calls) && !may; k++)
            may = strlen(calls[k]) == len && !strncmp(imports.v[i], calls[k], len);
    }
    strvec_clear(&imports);
    return may;
}

static void run_bounded(ToolId tool, const char *exe, const StrVec *argv, const StrVec *env, const RunOptions *opt, RunOutcome *o)
{
    /* The whole run (whatever it forks) in cgroups that bound its
     * processes and memory: never RLIMIT_NPROC or RLIMIT_AS (TSan). */
    CgroupSet cg;
    bool bounded = opt->max_procs > 0 || opt->max_memory > 0;
    if (bounded) {
        CgroupLimits lim = {.pids_max = opt->max_procs, .memory_max = opt->max_memory};
        cgroup_create(&cg, &lim);
        o->unbounded = unbounded_note(&cg, opt);
    }
    StrVec full = STRVEC_INIT;
    strvec_pushv(&full, opt->wrapper);
    strvec_pushv(&full, argv->v);
    ProcSpec ps = {
        .argv = full.v,
        .envp = env->v,
        .cwd = o->run_dir, /* a fresh directory: no ./.valgrindrc of anyone's */
        .timeout = opt->timeout > 0 ? opt->timeout : run_default_timeout(tool),
        .keep = 1u << 20,
        .flood = opt->max_output ? opt->max_output : 64u << 20,
        .fsize_limit = 256ll << 20,
        .dump_stacks = opt->dump_stacks && !tool_is_valgrind(tool), /* gdb would see Valgrind's own stacks */
        /* TSan's napping thread is recognised (stuck.h); under Valgrind
         * the guest's signal handlers are not visible in /proc, so only
         * a program that cannot await a signal is watched; explore has
         * its own watchdog */
        .watch_stuck = tool == TOOL_NATIVE || tool == TOOL_TSAN || (tool_is_valgrind(tool) && !may_await_signal(exe)),
        .stuck_runtime_sleeper = tool == TOOL_TSAN,
        .stuck_signals_unseen = tool_is_valgrind(tool),
        .stuck_through = opt->wrapper ? opt->wrapper_exe : NULL,
        .tick = opt->tick,
        .tick_ctx = opt->tick_ctx,
        .cgroups = bounded && cg.n ? &cg : NULL,
    };
    proc_run(&ps, &o->proc);
    if (bounded)
        cgroup_destroy(&cg);
    strvec_clear(&full);
}

/* What the tool found and how the program ended are two facts, both
 * kept. Findings in a whole report decide (a program that fails after a
 * race still raced): the run is judged on them, its end named. A program
 * that fails with nothing found is not judged. */
static void judge_ending(ToolId tool, RunOutcome *o, const SourceSet *ss)
{
    ProcResult *p = &o->proc;
    Report *r = &o->report;
    if (r->problem) {
        run_fail(o, RUN_ERROR, "%s", r->problem);
        return;
    }
    char *ended = NULL;
    if (r->crash) {
        const Frame *f = stack_user_frame(&r->crash_stack, ss);
        char *where = f ? frame_short(f) : NULL;
        ended = xasprintf("crashed: %s%s%s", r->crash, where ? " at " : "", where ? where : "");
        free(where);
    } else if (p->status == PROC_SIGNALED) {
        ended = xasprintf("was killed by %s", signal_name(p->sig));
    } else if (p->code != 0 && !(tool == TOOL_TSAN && p->code == TSAN_EXIT_CODE && r->n)) {
        /* Valgrind (no --error-exitcode) leaves the status alone; TSan
         * sets its own (66) only after reporting. */
        ended = xasprintf("exited with status %d%s", p->code, p->code == 127 ? " (could not be executed)" : "");
    }
    if (ended && r->n) {
        o->ended = ended;
        return;
    }
    if (ended)
        run_fail(o, RUN_ERROR, "the program %s", ended);
    free(ended);
}

/* A detector's run (TSan, Valgrind's tools) or a native one, read: the
 * tool's report, and how the program ended. */
static void read_run(ToolId tool, RunOutcome *o, const SourceSet *ss)
{
    ProcResult *p = &o->proc;
    if (p->status == PROC_SPAWN_FAILED) {
        run_fail(o, RUN_ERROR, "%s could not start: %s", tool_is_valgrind(tool) ? "valgrind" : "the program", p->why);
        return;
    }
    /* TSan's log is read before a hang is judged: TSan that failed its own
     * CHECK may then hang in its error path (its deadlock detector keeps
     * 64 held locks), and that hang is TSan's, not the program's. */
    if (tool == TOOL_TSAN)
        tsan_read_logs(o, ss);
    bool hung = p->status == PROC_TIMEOUT || p->status == PROC_DEADLOCK;
    if (hung && o->report.problem && starts_with(o->report.problem, "TSan failed internally")) {
        run_fail(o, RUN_ERROR, "%s (then it hung: %s)", o->report.problem, p->why);
        free(p->stacks); /* TSan's own threads, stuck in its error path */
        p->stacks = NULL;
    } else if (p->status == PROC_TIMEOUT)
        run_fail(o, RUN_TIMEOUT, "%s", p->why);
    else if (p->status == PROC_DEADLOCK)
        run_fail(o, RUN_DEADLOCK, "%s", p->why);
    else if (p->status == PROC_FLOOD)
        run_fail(o, RUN_ERROR, "output flood: the program %s", p->why);
    if (tool_is_valgrind(tool) && o->status == RUN_OK)
        vg_read_xml(o, ss);
    report_demangle(&o->report);
    if (o->status != RUN_OK)
        return; /* a hang is reported as such; what was logged is kept */
    report_dedupe(&o->report, ss);
    judge_ending(tool, o, ss);
}

void run_tool(ToolId tool, const char *exe, const StrVec *args, const RunOptions *opt, const SourceSet *ss,
              RunOutcome *o)
{
    memset(o, 0, sizeof *o);
    o->tool = tool;
    report_init(&o->report);
    if (!make_run_dir(o, opt))
        return;
    char *err = NULL;
    if (tool == TOOL_TSAN && !(o->tsan_options = tsan_options_value(o->run_dir, opt, &err))) {
        run_fail(o, RUN_ERROR, "%s", err);
        free(err);
        return;
    }
    StrVec env = STRVEC_INIT, argv = STRVEC_INIT;
    make_env(&env, o->run_dir, o->tsan_options);
    if (tool == TOOL_EXPLORE)
        explore_env(&env, o->run_dir, opt);
    if (tool_is_valgrind(tool))
        vg_argv(&argv, tool, o->run_dir, opt);
    strvec_push(&argv, exe);
    strvec_pushv(&argv, args->v);
    o->command = strvec_join_quoted(&argv); /* for the reports: what ran, and how */
    run_bounded(tool, exe, &argv, &env, opt, o);
    stop_unwatch_dir(o->run_dir);
    strvec_clear(&argv);
    strvec_clear(&env);

    /* A limit reached explains whatever else happened: it comes first. */
    if (o->proc.limit)
        limit_fail(o, opt);
    /* So does a full disk under the run: a tool that cannot write its
     * report (Valgrind's XML, explore's log, TSan's) says nothing true. */
    if (o->proc.status != PROC_SPAWN_FAILED && fs_nearly_full(o->run_dir))
        run_fail(o, RUN_ERROR, "no space left on the device of %s: %s cannot write its report", o->run_dir,
                 tool == TOOL_TSAN ? "TSan" : tool == TOOL_EXPLORE ? "explore" : "Valgrind");
    if (tool == TOOL_EXPLORE) {
        o->seed = opt->seed;
        explore_read(o, exe, ss); /* its own verdicts on what the run did */
        return;
    }
    read_run(tool, o, ss);
}
