/* Front ends: each `racelab COMMAND` is one function. */
#ifndef RACELAB_CLI_H
#define RACELAB_CLI_H

#include <stdbool.h>

#include "lab.h"

/* Options every command understands. */
typedef struct {
    const char *root;     /* the lab's source tree: cases/, fixed/ */
    const char *work_dir; /* builds and runs */
    char *cache_dir;
} Common;

void common_init(Common *c);
void common_free(Common *c);
/* Loads every case file (cases/NAME.c) under root, sorted by name. */
CaseSpec *load_all_cases(const char *root, size_t *n);
double median(double *v, size_t n);

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_grade(int argc, char **argv);

#endif
