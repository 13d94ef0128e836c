/* The front ends: each `racelab COMMAND` is one function (options and
 * dispatch; the work is the engine's, the gate's and the grader's), and
 * the helpers they share (cli_common.c). */
#ifndef RACELAB_CLI_H
#define RACELAB_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "lab.h"

/* Options every command understands. */
typedef struct {
    const char *root;     /* the lab's source tree: cases/, fixed/ */
    const char *work_dir; /* builds and runs */
    char *cache_dir;
} Common;

void common_init(Common *c);
/* After the options: the cache directory under the work directory. */
void common_finish(Common *c);
void common_free(Common *c);
/* Loads every case file (cases/NAME.c) under root, sorted by name; dies
 * with the file and line of the first bad header. */
CaseSpec *load_all_cases(const char *root, size_t *n);
/* A whole number from lo to hi, or die naming the option. */
long parse_count(const char *s, const char *what, long lo, long hi);
/* A usage text, with @ROOT@ and @WORK@ replaced by the defaults. */
void print_usage(FILE *out, const char *text);

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_grade(int argc, char **argv);
int cmd_measure(int argc, char **argv);

#endif
