#include "lab_matrix.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lab.h"
#include "measure.h"
#include "pool.h"
#include "strbuf.h"

typedef struct {
    const MatrixJob *job;
    FILE *err; /* progress */
    size_t ntools;
    ToolId tool_of[TOOL_COUNT];
} MatrixCtx;

/* Job i of the matrix: cases in order, then buggy before fixed, then tools. */
static void decode(const MatrixCtx *m, size_t i, const CaseSpec **s, Variant *v, ToolId *t)
{
    size_t per_case = 2 * m->ntools;
    *s = &m->job->specs[i / per_case];
    *v = (Variant)((i % per_case) / m->ntools);
    *t = m->tool_of[i % m->ntools];
}

static void matrix_job(size_t idx, void *vctx, FILE *out)
{
    MatrixCtx *m = vctx;
    const CaseSpec *s;
    Variant v;
    ToolId t;
    decode(m, idx, &s, &v, &t);
    char *prog = lab_case_path(m->job->root, s->name, v);
    RunOptions ro = {.work_dir = m->job->work_dir, .dump_stacks = true};
    LabJob job = {.spec = s, .source = prog, .variant = v, .tool = t, .run = &ro, .cache_dir = m->job->cache_dir};
    int counts[V_COUNT] = {0};
    char *note = NULL;
    int shown = 0, total = 0;
    for (long i = 0; i < m->job->repeat; i++) {
        LabResult r;
        lab_run(&job, &r);
        counts[r.verdict]++;
        if (t == TOOL_NATIVE && r.verdict == V_MEASURED) {
            shown += r.bad_runs;
            total += (int)r.nruns;
        }
        if (t == TOOL_EXPLORE) { /* schedules run, and of them showing a bug */
            shown += r.explore_failing;
            total += r.explored;
        }
        if (!note || !r.pass) {
            free(note);
            note = xstrdup(r.note ? r.note : "");
        }
        lab_result_free(&r);
    }
    Verdict exp = lab_expected(s, v, t);
    /* "verdict|count|expected|shown/total|note": the commonest verdict */
    Verdict most = exp;
    for (int k = 0; k < V_COUNT; k++)
        if (counts[k] > counts[most])
            most = (Verdict)k;
    fprintf(out, "%s|%d|%s|%d/%d|", verdict_name(most), counts[most], verdict_name(exp), shown, total);
    for (const char *p = note; *p; p++)
        fputc(*p == '\n' || *p == '|' ? ' ' : *p, out);
    fputc('\n', out);
    free(note);
    free(prog);
}

static void matrix_progress(size_t done, size_t total, void *ctx)
{
    FILE *err = ((const MatrixCtx *)ctx)->err;
    fprintf(err, "\rracelab: %zu/%zu runs", done, total);
    if (done == total)
        fputc('\n', err);
}

static void print_header(FILE *out, const MatrixCtx *m)
{
    if (m->job->markdown) {
        fprintf(out, "| case | variant |");
        for (size_t k = 0; k < m->ntools; k++)
            fprintf(out, " %s |", tool_name(m->tool_of[k]));
        fprintf(out, "\n|---|---|");
        for (size_t k = 0; k < m->ntools; k++)
            fprintf(out, "---|");
        fprintf(out, "\n");
    } else {
        fprintf(out, "%-18s %-6s", "case", "");
        for (size_t k = 0; k < m->ntools; k++)
            fprintf(out, " %-17s", tool_name(m->tool_of[k]));
        fprintf(out, "\n");
    }
}

/* Cell i, from its job's line; whether it is as expected. */
static bool print_cell(FILE *out, const MatrixCtx *m, size_t i, const char *line)
{
    long repeat = m->job->repeat;
    bool markdown = m->job->markdown;
    const CaseSpec *s;
    Variant v;
    ToolId t;
    decode(m, i, &s, &v, &t);
    char verdict[32] = "DIED", expected[32] = "?", shown[32] = "";
    int count = 0;
    if (line)
        sscanf(line, "%31[^|]|%d|%31[^|]|%31[^|]|", verdict, &count, expected, shown);
    bool ok = line && !strcmp(verdict, expected) && count == repeat;
    StrBuf cell = STRBUF_INIT;
    bool blind = v == VARIANT_BUGGY && t != TOOL_NATIVE && s->tools[t].blind;
    sb_add(&cell, blind && ok ? "blind" : verdict);
    if (repeat > 1)
        sb_addf(&cell, " %d/%ld", count, repeat);
    if (!strcmp(verdict, "MEASURED"))
        sb_addf(&cell, " (bug %s)", shown);
    if (t == TOOL_EXPLORE && ok) {
        int found = 0, runs = 0;
        sscanf(shown, "%d/%d", &found, &runs);
        if (v == VARIANT_BUGGY) /* the mean schedule at which the bug first showed */
            sb_addf(&cell, " (seed %.0f)", (double)runs / (repeat > 0 ? (double)repeat : 1.0));
        else
            sb_addf(&cell, " (%d schedules)", runs / (int)(repeat > 0 ? repeat : 1));
    }
    if (!ok)
        sb_addf(&cell, ", expected %s", expected);
    if (i % m->ntools == 0)
        fprintf(out, markdown ? "| %s | %s |" : "%-18s %-6s", v == VARIANT_BUGGY ? s->name : "", variant_name(v));
    fprintf(out, markdown ? " %s |" : " %-17s", cell.buf);
    sb_free(&cell);
    if (i % m->ntools == m->ntools - 1)
        fprintf(out, "\n");
    return ok;
}

int lab_matrix(const MatrixJob *job, FILE *out, FILE *err)
{
    MatrixCtx m = {.job = job, .err = err};
    for (int t = 0; t < TOOL_COUNT; t++)
        if (job->tools & (1u << t))
            m.tool_of[m.ntools++] = (ToolId)t;
    size_t n = job->nspecs * 2 * m.ntools;
    char **outs = xcalloc(n + 1, sizeof(char *));
    double t0 = now_seconds();
    pool_run(n, job->jobs, matrix_job, &m, outs, job->progress ? matrix_progress : NULL);
    double elapsed = now_seconds() - t0;

    print_header(out, &m);
    bool *ok = xcalloc(n + 1, sizeof(bool));
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        ok[i] = print_cell(out, &m, i, outs[i]);
        failures += !ok[i];
    }
    fprintf(out, "%s%zu runs x %ld, %d not as expected, %.1f s wall, %d jobs\n", job->markdown ? "\n" : "", n,
            job->repeat, failures, elapsed, job->jobs);
    for (size_t i = 0; i < n; i++) {
        if (ok[i])
            continue;
        const CaseSpec *s;
        Variant v;
        ToolId t;
        decode(&m, i, &s, &v, &t);
        fprintf(err, "racelab: %s.%s.%s: %s", s->name, variant_name(v), tool_name(t),
                outs[i] ? outs[i] : "the job died\n");
    }
    free(ok);
    for (size_t i = 0; i < n; i++)
        free(outs[i]);
    free(outs);
    return failures;
}
