/* `racelab check`: one program built and run under several tools. Nothing
 * is expected of it: any finding not accepted by the baseline fails the
 * gate, and any run that cannot be judged (no build, a crash, a tool
 * failure, a hang, a bad report) leaves the gate undecided, never passed. */
#ifndef RACELAB_CHECK_H
#define RACELAB_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "baseline.h"
#include "build.h"
#include "run.h"
#include "systematic.h"
#include "toollimits.h"

/* Exit codes of `racelab check` (docs/check.md). */
enum { CHECK_CLEAN = 0, CHECK_FINDINGS = 1, CHECK_USAGE = 2, CHECK_UNDECIDED = 3 };

typedef struct {
    StrVec sources;  /* FILE.c ...; none with exe */
    const char *exe; /* --exe: a binary the user built */
    StrVec cflags, ldflags;
    StrVec args;                      /* the program's arguments */
    unsigned tools;                   /* 1 << ToolId */
    unsigned skipped;                 /* asked for, but they do not apply to the --exe binary */
    StrVec tsan_supp, vg_supp;        /* suppression files, sorted by kind */
    StrVec tool_opts[DETECTOR_COUNT]; /* pass-through options per tool, checked (toolopts.h) */
    const char *work_dir, *cache_dir;
    const char *source_root; /* a real path: SARIF URIs are relative to it */
    double timeout;          /* per run; 0: the tool's default */
    bool keep;               /* keep every run directory */
    bool strict;             /* known tool limitations count as findings */
    Baseline *baseline;      /* NULL: none; its entries' seen counts are set */
    const char *baseline_path;
    /* explore: schedules to try (0: the default), from which seed, and a
     * time budget for all of them; replay: the one seed first_seed */
    int seeds;
    unsigned long long first_seed;
    bool replay;
    double explore_budget;
    /* explore, systematic: every schedule with <= bound preemptions first
     * (systematic.h; -1: none), at most systematic_runs of them; schedule:
     * replay that one schedule instead */
    int bound;
    int systematic_runs;
    const char *schedule;
    /* bounds on each run, whatever it forks (cgroups); 0: none */
    long long max_procs, max_memory;
} CheckOptions;

typedef struct {
    ToolId tool;
    bool ran;            /* false: the build failed, nothing ran */
    RunOutcome run;      /* when ran */
    char *error;         /* why this tool could not decide; NULL if it did */
    char **fingerprints; /* one per finding of run.report */
    char **keys;
    bool *baselined;
    const char **limitation; /* per finding: why it is a known tool limitation, or NULL */
    size_t nnew;             /* findings that fail the gate */
    size_t nlimits;          /* findings that are known tool limitations */
    double seconds;
    int explored, explore_failing; /* explore: schedules run, and of them with a finding */
    bool explore_budget_hit;
    bool systematic_ran;  /* explore: the bounded search ran first */
    SystematicResult sys; /* its result (its run moved to run when it found) */
    char *sys_text;       /* what it proves, in words */
} ToolResult;

typedef struct {
    const CheckOptions *opt;
    char *name; /* the program: first source's stem, or the binary's name */
    SourceSet ss;
    BuildResult builds[BUILD_KIND_COUNT]; /* by BuildKind, when attempted */
    bool tried[BUILD_KIND_COUNT];
    ToolResult *results;
    size_t nresults;
    size_t nfindings, nnew, nbaselined, nlimits, nundecided;
    int exit_code;
    double seconds;
} CheckRun;

/* With --exe: which of the tools apply (TSan to an instrumented binary,
 * Valgrind's to a plain one). False with *err if the file is unreadable. */
bool check_exe_tools(const char *exe, unsigned wanted, unsigned *apply, bool *tsan, char **err);

void check_run(const CheckOptions *opt, CheckRun *r);
void check_run_free(CheckRun *r);

/* Whether a tool's run decided (and if not, why): the one place a run
 * with a report problem, a crash, a hang or a failed build is judged. */
void check_decide(ToolResult *tr);
/* Fingerprints each finding, tells known tool limitations apart (lc may
 * be NULL: none) and matches the rest against the baseline. */
void check_match(ToolResult *tr, const SourceSet *ss, Baseline *baseline, const LimitContext *lc, bool strict);
/* check_match with no limitations, then check_decide. */
void check_judge(ToolResult *tr, const SourceSet *ss, Baseline *baseline);
/* Whether finding i fails the gate: not baselined, and not a known
 * limitation (unless strict). */
bool check_is_new(const ToolResult *tr, size_t i, bool strict);
/* Any undecided tool (or none at all): 3; else any new finding: 1; else 0. */
int check_exit_code(const CheckRun *r);

/* check_uri.c: a frame's file as a URI: relative to the source root
 * (*relative set), or an absolute file:// URI for a file outside it. */
char *check_uri(const CheckRun *r, const char *file, bool *relative);
/* "file:///abs/root/" for SARIF's %SRCROOT% */
char *check_root_uri(const CheckRun *r);

/* Why a build failed, in a line: "does not compile (COMMAND)", or "no
 * space left on the device of DIR: ..." when the disk was full. */
char *check_build_failure(const CheckRun *r, BuildKind k);

const char *check_status_name(const ToolResult *tr); /* ok, error, timeout, deadlock */
const char *check_outcome_name(int exit_code);       /* CLEAN, FINDINGS, USAGE, UNDECIDED */

#endif
