/* `racelab grade --batch DIR`: every entry of DIR graded in parallel, one
 * child process each (a grader that dies loses only that student's grade,
 * which is then reported as such), and the class's summary.csv, report.md,
 * grades.json and feedback/ written. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "fs.h"
#include "grade.h"
#include "log.h"
#include "measure.h"
#include "pool.h"
#include "strbuf.h"
#include "text.h"
#include "utf8.h"

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

/* A student's entry name as a file name of ours. */
static char *safe_name(const char *s)
{
    return percent_encode(s, "._-");
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
    json_array_foreach (json_object_get(j, "items"), i, c) {
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
    json_array_foreach (json_object_get(j, "cheats"), i, c)
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
    fputs("student,score,max_score,status,failed_items,cheats,seconds\n", csv);
    size_t full = 0;
    double *secs = xcalloc(b->n + 1, sizeof(double));
    for (size_t i = 0; i < b->n; i++) {
        full += !strcmp(js(res[i], "status"), "full");
        secs[i] = json_real_value(json_object_get(res[i], "seconds"));
    }
    fprintf(md,
            "# racelab grade: %s\n\n%zu submissions, %zu with full marks; median %.1f s per grade, %.0f s "
            "in all with %d at once.\n\n",
            b->opt.spec->name, b->n, full, median(secs, b->n), wall, jobs);
    fputs("| student | score | status | failing items | cheats |\n|---|---|---|---|---|\n", md);
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
        json_array_foreach (json_object_get(j, "cheats"), k, c)
            fprintf(md, "- **cheat** `%s`: %s\n", js(c, "id"), js(c, "message"));
        json_array_foreach (json_object_get(j, "items"), k, c) {
            if (!strcmp(js(c, "status"), "failed"))
                fprintf(md, "- %s: %s\n", js(c, "name"), js(c, "summary"));
        }
    }
    fclose(csv);
    fclose(md);
    free(secs);
}

int grade_batch(const GradeOptions *opt, const char *dir, const char *outdir, int jobs)
{
    Batch batch = {.opt = *opt, .dir = dir}, *b = &batch;
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
                               "the grader died on this submission", "cheats", "items", "seconds", 0.0);
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
    printf("racelab: graded %zu submissions of %s in %.0f s: %zu with full marks; %s/summary.csv, %s/report.md\n", b->n,
           b->opt.spec->name, wall, b->n - (size_t)not_full, outdir, outdir);
    for (size_t i = 0; i < b->n; i++) {
        json_decref(res[i]);
        free(outs[i]);
        free(b->names[i]);
    }
    json_decref(all);
    free(res), free(outs), free(b->names), free(gp), free(fb);
    return not_full ? 1 : 0;
}
