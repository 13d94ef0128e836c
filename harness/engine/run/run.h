/* Runs a built program under one tool, in a fresh directory with a
 * controlled environment, and parses what the tool reported. */
#ifndef RACELAB_RUN_H
#define RACELAB_RUN_H

#include <stdbool.h>

#include "finding.h"
#include "proc.h"
#include "strvec.h"
#include "tool.h"

typedef struct {
    const char *work_dir;       /* runs go in WORK_DIR/run-XXXXXX */
    double timeout;             /* seconds; 0: the tool's default */
    const StrVec *suppressions; /* TSan or Valgrind suppression files; NULL: none */
    bool keep_run_dir;          /* leave the logs for a human */
    bool dump_stacks;           /* gdb on hangs */
    char *const *wrapper;       /* argv prefix (sandbox), NULL-terminated, may be NULL */
    const char *wrapper_exe;    /* the program the wrapper ends in (its real path), looked through
                                   for a native run stuck for good; NULL: none */
    const StrVec *tool_opts;    /* the user's options for this tool (toolopts.h, checked); NULL: none */
    unsigned long long seed;    /* explore: the schedule */
    const char *schedule;       /* explore, systematic mode: the schedule's deviations (explore_protocol.h); NULL: the seed's */
    void (*tick)(int child, void *ctx); /* a watcher of the run (proc.h) */
    void *tick_ctx;
    bool explore_preload;       /* explore: a binary not built for it gets the runtime by LD_PRELOAD */
    long long max_procs;        /* processes+threads of the whole run (cgroup pids); 0: no bound */
    long long max_memory;       /* bytes of memory of the whole run (cgroup memory); 0: no bound */
    size_t max_output;          /* bytes of stdout+stderr that are a flood (stopped); 0: 64 MiB */
    bool no_inline_info;        /* Valgrind: skip the DWARF inline info, 10% of its start-up; only
                                   for a build with no inlined frames of its own (gcc -O0) */
} RunOptions;

typedef enum {
    RUN_OK,    /* the tool ran to the end and its report was read */
    RUN_ERROR, /* crash, tool failure, unreadable report, bad exit */
    RUN_TIMEOUT,
    RUN_DEADLOCK,
} RunStatus;

typedef struct {
    ToolId tool;
    RunStatus status;
    char *error; /* why, for anything but RUN_OK */
    ProcResult proc;
    Report report;
    char *run_dir;
    char *command;      /* the tool's command line as run (without a sandbox) */
    char *tsan_options; /* TSAN_OPTIONS of a TSan run */
    /* Set by the lab for a program with a known answer: whether the output
     * was checked against the case's oracle, and why it was wrong. */
    bool answer_checked;
    char *wrong_answer; /* NULL: right, or not checked */
    /* explore: the seed, and the schedule's trace (what explore_read says) */
    unsigned long long seed;
    char *trace;
    bool replays_exactly; /* no thread ran outside the schedule */
    char *unbounded;      /* the bounds asked for that this host could not set, and why; NULL: all set */
    /* A run judged on its findings although the program failed: how it
     * ended ("exited with status 42", "was killed by SIGSEGV"); else NULL. */
    char *ended;
} RunOutcome;

double run_default_timeout(ToolId tool);
void run_tool(ToolId tool, const char *exe, const StrVec *args, const RunOptions *opt, const SourceSet *ss,
              RunOutcome *out);
void run_outcome_free(RunOutcome *o);
/* Leaves only the tool's logs (each cut to 16 MiB) in an undecided run's
 * directory: what a human reads, not what the program wrote. */
void run_prune(const char *run_dir);
const char *run_status_name(RunStatus s);
/* Marks the run undecided (status st) for the reason given; the first
 * reason stays. For the engine's tool-specific readers. */
void run_fail(RunOutcome *o, RunStatus st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* explore: the schedule's last steps, readable, with the runtime's notes,
 * from the run's report (an addr2line run: for a schedule that is shown). */
char *run_explore_trace(const RunOutcome *o, const char *exe);

#endif
