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

#include "cli.h"
#include "toolpaths.h"
#include "alloc.h"
#include "fs.h"
#include "log.h"
#include "measure.h"
#include "strbuf.h"
#include "text.h"
#include "utf8.h"
#include "grade.h"
#include "pool.h"
#include "sandbox.h"

#define SOURCE_MAX (1u << 20)
#define FOLDER_DEPTH 4
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
    "  --keep          keep the scratch directories\n"
    "  --root DIR      the lab's source tree (default: @ROOT@)\n"
    "  --work-dir D    where builds and runs go\n"
    "Exit status: 0 full marks (batch: every submission), 1 otherwise, 2 usage or setup\n"
    "error, 3 the sandbox does not work here.\n";

/* ---- intake: what to grade, read without following links ---- */

static void read_source(const char *path, Submission *s)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        s->rejected = errno == ELOOP ? xstrdup("a symbolic link: not followed (it could point anywhere on the "
                                               "grading machine)")
                                     : xasprintf("cannot read: %s", strerror(errno));
        return;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        s->rejected = xstrdup("not a regular file");
    } else if (st.st_size > SOURCE_MAX) {
        s->rejected = xasprintf("%lld bytes: more than 1 MiB is not a source file", (long long)st.st_size);
    } else {
        s->text = xmalloc((size_t)st.st_size + 1);
        ssize_t n;
        while (s->len < (size_t)st.st_size &&
               (n = read(fd, s->text + s->len, (size_t)st.st_size - s->len)) > 0)
            s->len += (size_t)n;
        s->text[s->len] = '\0';
    }
    close(fd);
}

typedef struct {
    char **c_files; /* relative paths */
    size_t n, cap;
    char *symlinks; /* the first one seen */
    bool valgrindrc;
} FolderScan;

static void scan_folder(const char *root, const char *rel, int depth, FolderScan *fs)
{
    char *dir = *rel ? path_join(root, rel) : xstrdup(root);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *r = *rel ? path_join(rel, e->d_name) : xstrdup(e->d_name);
        char *full = path_join(root, r);
        struct stat st;
        if (lstat(full, &st) == 0) {
            if (S_ISLNK(st.st_mode) && !fs->symlinks)
                fs->symlinks = xstrdup(r);
            else if (S_ISDIR(st.st_mode) && depth < FOLDER_DEPTH)
                scan_folder(root, r, depth + 1, fs);
            else if (S_ISREG(st.st_mode) && !strcmp(e->d_name, ".valgrindrc"))
                fs->valgrindrc = true;
            else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".c")) {
                PUSH(fs->c_files, fs->n, fs->cap, r);
                r = NULL;
            }
        }
        free(r);
        free(full);
    }
    if (d)
        closedir(d);
    free(dir);
}

static void intake_folder(const char *path, const char *case_name, Submission *s)
{
    FolderScan fs = {0};
    scan_folder(path, "", 0, &fs);
    if (fs.valgrindrc)
        cheat_add(&s->cheats, "valgrindrc", 0, "the submission brings a .valgrindrc");
    const char *pick = fs.n == 1 ? fs.c_files[0] : NULL;
    char *want = xasprintf("%s.c", case_name);
    for (size_t i = 0; i < fs.n && !pick; i++)
        if (!strcmp(path_base(fs.c_files[i]), want))
            pick = fs.c_files[i];
    if (pick) {
        char *full = path_join(path, pick);
        read_source(full, s);
        free(full);
        char *p = printable(pick, strlen(pick));
        char *d = xasprintf("%s/%s", s->display, p);
        free(s->display);
        s->display = d;
        free(p);
    } else if (fs.n) {
        s->rejected = xasprintf("%zu .c files: submit one, or name the fix %s", fs.n, want);
    } else {
        char *l = fs.symlinks ? printable(fs.symlinks, strlen(fs.symlinks)) : NULL;
        s->rejected = xasprintf("no .c file in the folder%s%s%s", l ? " (symbolic links are not followed: " : "",
                                l ? l : "", l ? ")" : "");
        free(l);
    }
    free(want);
    for (size_t i = 0; i < fs.n; i++)
        free(fs.c_files[i]);
    free(fs.c_files);
    free(fs.symlinks);
}

static void intake(const char *path, const char *name, const char *case_name, Submission *s)
{
    memset(s, 0, sizeof *s);
    s->display = printable(name, strlen(name));
    struct stat st;
    if (lstat(path, &st) != 0)
        s->rejected = xasprintf("cannot read: %s", strerror(errno));
    else if (S_ISLNK(st.st_mode))
        s->rejected = xstrdup("a symbolic link: not followed (it could point anywhere on the grading machine)");
    else if (S_ISDIR(st.st_mode))
        intake_folder(path, case_name, s);
    else
        read_source(path, s);
}

/* ---- batch ---- */

typedef struct {
    GradeOptions opt;
    const char *dir;
    char **names;
    size_t n;
} Batch;

static void batch_job(size_t idx, void *vctx, FILE *out)
{
    Batch *b = vctx;
    GradeOptions o = b->opt;
    o.seed += idx; /* reproducible with --seed, different per student */
    char *path = path_join(b->dir, b->names[idx]);
    Submission sub;
    intake(path, b->names[idx], o.spec->name, &sub);
    GradeResult g;
    grade_submission(&o, &sub, &g);
    json_t *j = grade_to_json(&o, &sub, &g);
    json_dumpf(j, out, JSON_COMPACT);
    json_decref(j);
    grade_result_free(&g);
    submission_free(&sub);
    free(path);
}

static void batch_progress(size_t done, size_t total, void *ctx)
{
    (void)ctx;
    if (isatty(2))
        fprintf(stderr, "\rracelab: graded %zu/%zu%s", done, total, done == total ? "\n" : "");
    else
        fprintf(stderr, "racelab: graded %zu/%zu\n", done, total);
}

static char *safe_name(const char *s)
{
    StrBuf sb = STRBUF_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("._-", *p))
            sb_addn(&sb, (const char *)p, 1);
        else
            sb_addf(&sb, "%%%02X", *p);
    }
    return sb_steal(&sb);
}

static void csv_field(FILE *f, const char *s, bool last)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
    fputs(last ? "\"\n" : "\",", f);
}

/* "tsan;helgrind" and "tsan-options;stderr" */
static char *failed_list(const json_t *j)
{
    StrBuf sb = STRBUF_INIT;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(j, "checks"), i, c)
    {
        const char *st = json_string_value(json_object_get(c, "status"));
        if (st && (!strcmp(st, "failed") || !strcmp(st, "skipped")))
            sb_addf(&sb, "%s%s", sb.len ? ";" : "", json_string_value(json_object_get(c, "id")));
    }
    return sb_steal(&sb);
}

static char *cheat_list(const json_t *j)
{
    StrBuf sb = STRBUF_INIT;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(j, "cheats"), i, c)
    sb_addf(&sb, "%s%s", sb.len ? ";" : "", json_string_value(json_object_get(c, "id")));
    return sb_steal(&sb);
}

static const char *js(const json_t *j, const char *k)
{
    const char *s = json_string_value(json_object_get(j, k));
    return s ? s : "";
}

static void md_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (strchr("|\\`*_[]<>", *s))
            fputc('\\', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
}

static void write_reports(const Batch *b, json_t **res, const char *outdir, double wall, int jobs)
{
    char *p = path_join(outdir, "summary.csv");
    FILE *csv = fopen(p, "w");
    free(p);
    p = path_join(outdir, "report.md");
    FILE *md = fopen(p, "w");
    free(p);
    if (!csv || !md)
        die("cannot write into %s: %s", outdir, strerror(errno));
    fputs("student,score,max_score,status,failed_checks,cheats,seconds\n", csv);
    size_t full = 0;
    double *secs = xcalloc(b->n + 1, sizeof(double));
    for (size_t i = 0; i < b->n; i++) {
        full += !strcmp(js(res[i], "status"), "full");
        secs[i] = json_real_value(json_object_get(res[i], "seconds"));
    }
    fprintf(md, "# racelab grade: %s\n\n%zu submissions, %zu with full marks; median %.1f s per grade, %.0f s "
                "in all with %d at once.\n\n",
            b->opt.spec->name, b->n, full, median(secs, b->n), wall, jobs);
    fputs("| student | score | status | failing checks | cheats |\n|---|---|---|---|---|\n", md);
    for (size_t i = 0; i < b->n; i++) {
        json_t *j = res[i];
        char *failed = failed_list(j), *cheats = cheat_list(j);
        char score[32], max[32], sec[32];
        snprintf(score, sizeof score, "%lld", (long long)json_integer_value(json_object_get(j, "score")));
        snprintf(max, sizeof max, "%lld", (long long)json_integer_value(json_object_get(j, "max_score")));
        snprintf(sec, sizeof sec, "%.2f", json_real_value(json_object_get(j, "seconds")));
        csv_field(csv, js(j, "submission"), false);
        csv_field(csv, score, false);
        csv_field(csv, max, false);
        csv_field(csv, js(j, "status"), false);
        csv_field(csv, failed, false);
        csv_field(csv, cheats, false);
        csv_field(csv, sec, true);
        fputs("| ", md);
        md_escape(md, js(j, "submission"));
        fprintf(md, " | %s/%s | %s | ", score, max, js(j, "status"));
        md_escape(md, failed);
        fputs(" | ", md);
        md_escape(md, cheats);
        fputs(" |\n", md);
        free(failed), free(cheats);
    }
    fputs("\n## Feedback\n\nEach student's full feedback is in feedback/; here, what cost points.\n", md);
    for (size_t i = 0; i < b->n; i++) {
        json_t *j = res[i], *c;
        if (!strcmp(js(j, "status"), "full"))
            continue;
        fputs("\n### ", md);
        md_escape(md, js(j, "submission"));
        fprintf(md, " (%lld/%lld)\n\n", (long long)json_integer_value(json_object_get(j, "score")),
                (long long)json_integer_value(json_object_get(j, "max_score")));
        if (*js(j, "rejected"))
            fprintf(md, "- not graded: %s\n", js(j, "rejected"));
        size_t k;
        json_array_foreach(json_object_get(j, "cheats"), k, c)
        fprintf(md, "- **cheat** `%s`: %s\n", js(c, "id"), js(c, "message"));
        json_array_foreach(json_object_get(j, "checks"), k, c)
        {
            if (!strcmp(js(c, "status"), "failed"))
                fprintf(md, "- %s: %s\n", js(c, "name"), js(c, "summary"));
        }
    }
    fclose(csv);
    fclose(md);
    free(secs);
}

static int run_batch(Batch *b, const char *outdir, int jobs)
{
    DIR *d = opendir(b->dir);
    if (!d)
        die("cannot open %s: %s", b->dir, strerror(errno));
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') {
            char *n = xstrdup(e->d_name);
            PUSH(b->names, b->n, cap, n);
        }
    closedir(d);
    qsort(b->names, b->n, sizeof(char *), cmp_strptr);
    char *fb = path_join(outdir, "feedback");
    if (!mkdir_p(fb))
        die("cannot create %s: %s", fb, strerror(errno));
    char **outs = xcalloc(b->n + 1, sizeof(char *));
    double t0 = now_seconds();
    pool_run(b->n, jobs, batch_job, b, outs, batch_progress);
    double wall = now_seconds() - t0;
    json_t **res = xcalloc(b->n + 1, sizeof(json_t *));
    json_t *all = json_array();
    int not_full = 0;
    for (size_t i = 0; i < b->n; i++) {
        res[i] = outs[i] ? json_loads(outs[i], 0, NULL) : NULL;
        if (!res[i]) { /* the grader itself died on it: say so, never skip it */
            char *name = printable(b->names[i], strlen(b->names[i]));
            res[i] = json_pack("{s:s, s:s, s:i, s:i, s:s, s:s, s:[], s:[], s:f}", "case", b->opt.spec->name,
                               "submission", name, "score", 0, "max_score", 100, "status", "rejected", "rejected",
                               "the grader died on this submission", "cheats", "checks", "seconds", 0.0);
            free(name);
        }
        not_full += strcmp(js(res[i], "status"), "full") != 0;
        char *sn = safe_name(b->names[i]);
        char *fp = xasprintf("%s/%s.txt", fb, sn);
        FILE *f = fopen(fp, "w");
        if (f) {
            grade_print_text(f, res[i]);
            fclose(f);
        }
        free(fp), free(sn);
        json_array_append(all, res[i]);
    }
    char *gp = path_join(outdir, "grades.json");
    if (json_dump_file(all, gp, JSON_INDENT(2)) != 0)
        die("cannot write %s", gp);
    write_reports(b, res, outdir, wall, jobs);
    printf("racelab: graded %zu submissions of %s in %.0f s: %zu with full marks; %s/summary.csv, %s/report.md\n",
           b->n, b->opt.spec->name, wall, b->n - (size_t)not_full, outdir, outdir);
    for (size_t i = 0; i < b->n; i++) {
        json_decref(res[i]);
        free(outs[i]);
        free(b->names[i]);
    }
    json_decref(all);
    free(res), free(outs), free(b->names), free(gp), free(fb);
    return not_full ? 1 : 0;
}

/* ---- the command ---- */

enum { OPT_ROOT = 1000, OPT_WORK, OPT_FORMAT, OPT_BATCH, OPT_OUT, OPT_SEED, OPT_NOSANDBOX, OPT_CHECK, OPT_KEEP };

int cmd_grade(int argc, char **argv)
{
    static const struct option opts[] = {
        {"root", required_argument, NULL, OPT_ROOT},       {"work-dir", required_argument, NULL, OPT_WORK},
        {"format", required_argument, NULL, OPT_FORMAT},   {"batch", required_argument, NULL, OPT_BATCH},
        {"out", required_argument, NULL, OPT_OUT},         {"seed", required_argument, NULL, OPT_SEED},
        {"no-sandbox", no_argument, NULL, OPT_NOSANDBOX},  {"check-sandbox", no_argument, NULL, OPT_CHECK},
        {"keep", no_argument, NULL, OPT_KEEP},             {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},            {"help", no_argument, NULL, 'h'},
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
        char *why = NULL;
        if (!sandbox_probe(&why)) {
            fprintf(stderr, "racelab: the sandbox does not work here: bubblewrap cannot create its namespaces "
                            "(%s).\nracelab does not run untrusted code without it; --no-sandbox grades anyway, "
                            "with racelab's rights (only inside a throwaway container).\n", why);
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
    int rc;
    if (batch) {
        Batch b = {.opt = go, .dir = batch};
        rc = run_batch(&b, outdir, jobs);
    } else {
        const char *path = argv[optind + 1];
        Submission sub;
        intake(path, path_base(path), spec.name, &sub);
        GradeResult g;
        grade_submission(&go, &sub, &g);
        json_t *j = grade_to_json(&go, &sub, &g);
        rc = g.score == g.max && !g.cheats.n && !g.rejected ? 0 : 1;
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
    }
    spec_free(&spec);
    free(case_path);
    common_free(&c);
    return rc;
}
