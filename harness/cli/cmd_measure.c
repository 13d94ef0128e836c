/* `racelab measure CASE`: how well explore shows a case's bug, measured,
 * not assumed (the lab's lab_measure.h says what). The numbers README
 * gives come from this command (ci/bench-explore.sh). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "lab_measure.h"
#include "log.h"

int cmd_measure(int argc, char **argv)
{
    static const struct option opts[] = {
        {"root", required_argument, NULL, 'r'},
        {"work-dir", required_argument, NULL, 'w'},
        {"runs", required_argument, NULL, 'n'},
        {"seeds", required_argument, NULL, 's'},
        {"replays", required_argument, NULL, 'p'},
        {"fixed-seeds", required_argument, NULL, 'f'},
        {"markdown", no_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    Common c;
    common_init(&c);
    long runs = 200, seeds = 200, replays = 20, fixed_seeds = 200;
    bool markdown = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case 'r': c.root = optarg; break;
        case 'w': c.work_dir = optarg; break;
        case 'n': runs = parse_count(optarg, "--runs", 1, 100000); break;
        case 's': seeds = parse_count(optarg, "--seeds", 10, 100000); break;
        case 'p': replays = parse_count(optarg, "--replays", 1, 10000); break;
        case 'f': fixed_seeds = parse_count(optarg, "--fixed-seeds", 1, 100000); break;
        case 'm': markdown = true; break;
        case 'h':
            puts(
                "usage: racelab measure CASE [--runs N] [--seeds N] [--replays N] [--fixed-seeds N] [--markdown]\n"
                "Measures how often a case's bug shows in plain native runs and under explore, at the case's\n"
                "own inputs; seeds to the first finding; replays of a failing seed; the fixed program's seeds.");
            return 0;
        default: return 2;
        }
    }
    if (argc - optind != 1)
        die("usage: racelab measure CASE (racelab measure --help)");
    common_finish(&c);
    MeasureJob job = {.root = c.root,
                      .name = argv[optind],
                      .work_dir = c.work_dir,
                      .cache_dir = c.cache_dir,
                      .runs = runs,
                      .seeds = seeds,
                      .replays = replays,
                      .fixed_seeds = fixed_seeds};
    MeasureResult m;
    char *err = NULL;
    if (!lab_measure(&job, &m, &err)) {
        if (!m.loaded)
            die("%s", err);
        warnf("%s", err);
        return 2;
    }
    lab_measure_print(stdout, &m, markdown);
    int status = m.first >= 0 && !m.fixed_failing ? 0 : 1;
    lab_measure_free(&m);
    common_free(&c);
    return status;
}
