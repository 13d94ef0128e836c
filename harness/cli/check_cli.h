/* `racelab check`'s front end, in three files: its options
 * (check_options.c), its text output (check_print.c) and the command
 * itself (cmd_check.c). Internal to harness/cli. */
#ifndef RACELAB_CHECK_CLI_H
#define RACELAB_CHECK_CLI_H

#include <stdbool.h>

#include "baseline.h"
#include "check.h"

typedef struct {
    CheckOptions o;
    const char *json, *sarif, *junit, *params_from;
    bool update, quiet;
    char *work_dir, *root, *exe;
} Cli;

/* Parses the command line into c: 0, a usage error (CHECK_USAGE, said on
 * stderr), or -1 after --help. */
int check_parse(Cli *c, int argc, char **argv);
int usage_error(const char *fmt, const char *arg);
void check_cli_free(Cli *c);

void print_run(const CheckRun *r, bool quiet);
/* Baselined entries no finding matched (fixed?), said, not failed. */
void print_stale(const Baseline *b, const CheckRun *r);
void verdict_line(const CheckRun *r, int code, bool updated);

#endif
