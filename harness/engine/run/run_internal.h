/* The halves of running a program under a tool that differ by tool:
 * TSan (run_tsan.c: its options, its per-process logs), Valgrind
 * (run_vg.c: its command line, its XML and its own failures) and explore
 * (run_explore.c: its runtime's variables, its report). run.c runs and
 * judges; these only build and read. Internal to the run room. */
#ifndef RACELAB_RUN_INTERNAL_H
#define RACELAB_RUN_INTERNAL_H

#include "run.h"
#include "strvec.h"

/* The log files racelab keeps of an undecided run, and reads. */
bool run_is_log(const char *name);

/* TSAN_OPTIONS for a run: racelab's options, the suppressions, the user's
 * pass-through ones. NULL with *err when a path cannot be quoted for TSan. */
/* The exit status TSan gives a process it ends after reporting (its
 * default, kept): with findings, it is TSan's, not the program's. */
#define TSAN_EXIT_CODE 66
char *tsan_options_value(const char *run_dir, const RunOptions *opt, char **err);
/* Reads every tsan.PID log of the run into o->report (and TSan's early
 * failures from its stderr). */
void tsan_read_logs(RunOutcome *o, const SourceSet *ss);

/* valgrind --tool=... and its options, up to the program. */
void vg_argv(StrVec *v, ToolId tool, const char *run_dir, const RunOptions *opt);
/* Reads valgrind.xml into o->report; Valgrind's own failures (its thread
 * limit, an 'impossible' happening) explain a broken report. */
void vg_read_xml(RunOutcome *o, const SourceSet *ss);

/* explore: the variables that start its runtime in the program. */
void explore_env(StrVec *env, const char *run_dir, const RunOptions *opt);
/* explore: judges a finished run from its report, its exit and its
 * signal: findings (deadlock, self-deadlock, lock-cycle, crash,
 * assertion, exit-status), or why it cannot be judged. */
void explore_read(RunOutcome *o, const char *exe, const SourceSet *ss);

#define REPORT_MAX (64u << 20)

#endif
