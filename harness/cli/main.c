/* racelab: makes concurrency bugs visible, testable and gradable. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "stop.h"

static const char usage[] =
    "usage: racelab COMMAND [options]\n"
    "  run CASE VARIANT TOOL   one lab test: build, run under TOOL, judge\n"
    "  matrix                  every case x variant x tool: the detection matrix\n"
    "  list                    the cases and what each tool must report\n"
    "  check FILE.c...         the gate for any program: fails on new findings\n"
    "  grade CASE FILE.c       score a student's fix, in a sandbox, with feedback\n"
    "  measure CASE            how often explore shows a case's bug (benchmarks)\n"
    "`racelab COMMAND --help` for a command's options.\n";

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } commands[] = {
        {"run", cmd_run},     {"matrix", cmd_matrix}, {"list", cmd_list},
        {"check", cmd_check}, {"grade", cmd_grade},   {"measure", cmd_measure},
    };
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) {
            /* SIGINT, SIGTERM, SIGHUP (and a SIGKILL, through the guard)
             * leave no run, directory or cgroup behind */
            stop_install();
            int code = commands[i].fn(argc - 1, argv + 1);
            stop_finish();
            return code;
        }
    fprintf(stderr, "racelab: unknown command '%s'\n%s", argv[1], usage);
    return 2;
}
