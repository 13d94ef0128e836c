/* `racelab grade`: the third front end over the lab core. One submission
 * (a file, or a folder holding one .c) or a whole class (--batch), each
 * graded by grade.c in the sandbox; outputs as text, JSON, Gradescope's
 * results.json, and for a batch a CSV and a Markdown report. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "cli.h"
#include "fs.h"
#include "grade.h"
#include "log.h"
#include "measure.h"
#include "pool.h"
#include "sandbox.h"
#include "strbuf.h"
#include "text.h"
#include "toolpaths.h"
#include "utf8.h"

#define EXIT_NO_SANDBOX 3

static const char grade_usage[] =
    "usage: racelab grade CASE FILE|FOLDER [options]\n"
    "       racelab grade CASE --batch DIR [options]\n"
    "Grades a fix of cases/CASE.c, built and judged as fixed/CASE.c is, in a sandbox.\n"
    "  --format F      text (default), json, or gradescope (writes results.json)\n"
    "  -o FILE         where json/gradescope output goes (gradescope default: results.json)\n"
    "  --batch DIR     every entry of DIR, a .c file or a folder per student, in parallel;\n"
    "                  writes summary.csv, report.md, grades.json and feedback/ into --out\n"
    "  --out DIR       batch output directory (default: racelab-grades)\n"
    "  -j N            batch: grades at once (default: the core count)\n"
    "  --seed N        draw the inputs from seed N (a reproducible grade)\n"
    "  --no-sandbox    run without bubblewrap: only inside a throwaway container\n"
    "  --check-sandbox say whether the sandbox works here, then exit (0 yes, 3 no)\n"
    "  --budget S      seconds for one submission's whole grade (default 180); what\n"
    "                  is not run by then fails, named\n"
    "  --keep          keep the scratch directories\n"
    "  --root DIR      the lab's source tree (default: @ROOT@)\n"
    "  --work-dir D    where builds and runs go\n"
    "Exit status: 0 full marks (batch: every submission), 1 otherwise, 2 usage or setup\n"
    "error, 3 the sandbox does not work here.\n";

/* ---- the command ---- */

enum { OPT_ROOT = 1000, OPT_WORK, OPT_FORMAT, OPT_BATCH, OPT_OUT, OPT_SEED, OPT_NOSANDBOX, OPT_CHECK, OPT_KEEP, OPT_BUDGET };

/* Whether the sandbox works here (--check-sandbox: say so): -1 to go on
 * grading, else the exit status. */
static int check_sandbox(bool check_only)
{
    char *why = NULL;
    if (!sandbox_probe(&why)) {
        fprintf(stderr,
                "racelab: the sandbox does not work here: bubblewrap cannot create its namespaces "
                "(%s).\nracelab does not run untrusted code without it; --no-sandbox grades anyway, "
                "with racelab's rights (only inside a throwaway container).\n",
                why);
        free(why);
        return EXIT_NO_SANDBOX;
    }
    if (check_only) {
        Sandbox sb;
        sandbox_init(&sb, true);
        printf("racelab: the sandbox works here: %s\n", sb.limits);
        sandbox_free(&sb);
        return 0;
    }
    return -1;
}

/* One submission graded, written in its format: 0 for full marks. */
static int grade_one(const GradeOptions *go, const char *path, const char *format, const char *output)
{
    Submission sub;
    intake(path, path_base(path), go->spec->name, &sub);
    GradeResult g;
    grade_submission(go, &sub, &g);
    json_t *j = grade_to_json(go, &sub, &g);
    int rc = g.score == g.max && !g.cheats.n && !g.rejected ? 0 : 1;
    if (!strcmp(format, "text")) {
        grade_print_text(stdout, j);
    } else {
        json_t *w = !strcmp(format, "gradescope") ? grade_to_gradescope(j) : json_incref(j);
        const char *dest = output ? output : !strcmp(format, "gradescope") ? "results.json" : NULL;
        if (dest ? json_dump_file(w, dest, JSON_INDENT(2)) != 0 : json_dumpf(w, stdout, JSON_INDENT(2)) != 0)
            die("cannot write %s", dest ? dest : "stdout");
        if (!dest)
            putchar('\n');
        else
            grade_print_text(stdout, j);
        json_decref(w);
    }
    json_decref(j);
    grade_result_free(&g);
    submission_free(&sub);
    return rc;
}

int cmd_grade(int argc, char **argv)
{
    static const struct option opts[] = {
        {"root", required_argument, NULL, OPT_ROOT},
        {"work-dir", required_argument, NULL, OPT_WORK},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"out", required_argument, NULL, OPT_OUT},
        {"seed", required_argument, NULL, OPT_SEED},
        {"no-sandbox", no_argument, NULL, OPT_NOSANDBOX},
        {"check-sandbox", no_argument, NULL, OPT_CHECK},
        {"keep", no_argument, NULL, OPT_KEEP},
        {"budget", required_argument, NULL, OPT_BUDGET},
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    Common c;
    common_init(&c);
    const char *format = "text", *output = NULL, *batch = NULL, *outdir = "racelab-grades";
    GradeOptions go = {.sandbox = true};
    bool check_only = false;
    int jobs = pool_default_jobs(), opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "ho:j:", opts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case OPT_ROOT: c.root = optarg; break;
        case OPT_WORK: c.work_dir = optarg; break;
        case OPT_FORMAT: format = optarg; break;
        case OPT_BATCH: batch = optarg; break;
        case OPT_OUT: outdir = optarg; break;
        case OPT_SEED:
            go.seed = strtoull(optarg, &end, 10);
            if (!*optarg || *end)
                die("--seed takes a whole number, not '%s'", optarg);
            go.seeded = true;
            break;
        case OPT_NOSANDBOX: go.sandbox = false; break;
        case OPT_CHECK: check_only = true; break;
        case OPT_KEEP: go.keep = true; break;
        case OPT_BUDGET:
            go.budget = strtod(optarg, &end);
            if (!*optarg || *end || !(go.budget >= 10 && go.budget <= 3600))
                die("--budget takes 10 to 3600 seconds, not '%s'", optarg);
            break;
        case 'o': output = optarg; break;
        case 'j':
            jobs = (int)strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 256)
                die("-j takes 1 to 256, not '%s'", optarg);
            break;
        case 'h': print_usage(stdout, grade_usage); return 0;
        default: print_usage(stderr, grade_usage); return 2;
        }
    }
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "gradescope"))
        die("--format is text, json or gradescope, not '%s'", format);
    if (go.sandbox || check_only) {
        int rc = check_sandbox(check_only);
        if (rc >= 0)
            return rc;
    }
    if (argc - optind != (batch ? 1 : 2)) {
        print_usage(stderr, grade_usage);
        return 2;
    }
    char *case_path = lab_case_path(c.root, argv[optind], VARIANT_BUGGY);
    CaseSpec spec;
    char *err = NULL;
    if (!spec_load(case_path, &spec, &err))
        die("%s", err);
    go.spec = &spec;
    go.work_dir = c.work_dir;
    go.root = c.root;
    int rc;
    if (batch) {
        rc = grade_batch(&go, batch, outdir, jobs);
    } else {
        rc = grade_one(&go, argv[optind + 1], format, output);
    }
    spec_free(&spec);
    free(case_path);
    common_free(&c);
    return rc;
}
