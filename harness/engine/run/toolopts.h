/* Options a user may pass through to a tool (--tsan-opt, --valgrind-opt,
 * --helgrind-opt, --drd-opt, --memcheck-opt). An allow-list: racelab sets
 * every option that decides what is reported, where and how (log paths,
 * exit codes, leak kinds, lock-order checks, suppressions), and a user
 * option may tune a tool (its history, its stack depth, its thread limit)
 * but never hide a finding. */
#ifndef RACELAB_TOOLOPTS_H
#define RACELAB_TOOLOPTS_H

#include <stdbool.h>

#include "tool.h"

/* Whether `opt` may be passed to `tool`: "--check-stack-var=yes" for a
 * Valgrind tool (core options for any of them), "history_size=7" for
 * TSan. False with *why (malloc'd) saying what is allowed. */
bool toolopt_allowed(ToolId tool, const char *opt, char **why);

/* Whether `opt` is a Valgrind core option (for every Valgrind tool). */
bool toolopt_is_valgrind_core(const char *opt);

#endif
