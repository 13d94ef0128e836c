/* Grading one submission: the scratch directory and the sandbox, the
 * inputs drawn, the grade items, and the order of the phases (the builds
 * and the scan, the schedules under explore, each detector, the score),
 * all within the grade's time budget. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "fs.h"
#include "grade_internal.h"
#include "measure.h"
#include "stop.h"
#include "text.h"
#include "toolpaths.h"
#include "utf8.h"

static const struct {
    const char *key, *name;
} item_info[ITEM_COUNT] = {
    {"compile", "compiles (warnings shown, not fatal)"},
    {"tsan", "clean under ThreadSanitizer"},
    {"helgrind", "clean under Helgrind"},
    {"drd", "clean under DRD"},
    {"memcheck", "clean under memcheck (threads left behind)"},
    {"explore", "right under every schedule explore tries, with inputs drawn by the grader"},
};

const char *item_name(ItemId id)
{
    return item_info[id].name;
}

const char *item_key(ItemId id)
{
    return item_info[id].key;
}

/* ---- inputs ---- */

unsigned long long grade_random(Grader *G) /* splitmix64 */
{
    unsigned long long z = (G->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Values from the `grade:` ranges. Under the detectors, from the case's own
 * detector value (`params:`, chosen to show its bug) up to a quarter of the
 * range: a race shows on the first conflicting pair, and Helgrind is ~100x
 * slower than a native run. */
Params grade_draw(Grader *G, bool low)
{
    Params ps = params_copy(&G->o->spec->params);
    for (size_t i = 0; i < ps.n; i++) {
        Param *p = &ps.items[i];
        long long lo = p->lo, hi = p->hi;
        if (low) {
            lo = p->value < p->lo ? p->lo : p->value > p->hi ? p->hi : p->value;
            hi = p->lo + (p->hi - p->lo) / 4 > lo ? p->lo + (p->hi - p->lo) / 4 : lo;
        }
        p->value = hi > lo ? lo + (long long)(grade_random(G) % (unsigned long long)(hi - lo + 1)) : lo;
    }
    return ps;
}

char *params_text(const Params *ps)
{
    StrBuf sb = STRBUF_INIT;
    for (size_t i = 0; i < ps->n; i++)
        sb_addf(&sb, "%s%s=%lld", i ? " " : "", ps->items[i].name, ps->items[i].value);
    return sb_steal(&sb);
}

/* The first expected output line that depends on the inputs, over ps
 * (for comparing answers). */
char *expected_line(const CaseSpec *s, const Params *ps)
{
    char *err = NULL;
    size_t k = 0; /* the first line that depends on the inputs */
    while (k + 1 < s->noutputs && (!strchr(s->outputs[k], '{') || s->outputs[k][0] == '?'))
        k++;
    char *r = s->noutputs ? expr_subst(s->outputs[k], ps, &err) : xstrdup("");
    free(err);
    return r ? r : xstrdup("");
}

/* ---- grade items ---- */

GradeItem *item(Grader *G, ItemId id)
{
    return &G->g->items[id];
}

void set_item(Grader *G, ItemId id, ItemStatus st, const char *fmt, ...)
{
    GradeItem *c = item(G, id);
    va_list ap;
    va_start(ap, fmt);
    char *summary = xvasprintf(fmt, ap);
    va_end(ap);
    c->status = st;
    free(c->summary);
    c->summary = summary;
}

static void skip_all(Grader *G, ItemId first, const char *why)
{
    for (int i = first; i < ITEM_COUNT; i++)
        if (item(G, (ItemId)i)->status != IS_NA)
            set_item(G, (ItemId)i, IS_SKIPPED, "not run: %s", why);
}

char *student_text(const Grader *G, const char *s)
{
    if (!s)
        return xstrdup("");
    StrBuf sb = STRBUF_INIT;
    size_t n = G->src ? strlen(G->src) : 0;
    for (const char *q = s; *q;) {
        const char *hit = n ? strstr(q, G->src) : NULL;
        if (!hit) {
            sb_add(&sb, q);
            break;
        }
        sb_addn(&sb, q, (size_t)(hit - q));
        sb_add(&sb, G->sub->display);
        q = hit + n;
    }
    char *r = printable(sb.buf, sb.len);
    sb_free(&sb);
    return r;
}

void describe_run_error(Grader *G, const RunOutcome *o, StrBuf *out)
{
    char *e = student_text(G, o->error);
    sb_addf(out, "  %s\n", e);
    free(e);
    /* under the sandbox a death by signal N reads as exit status 128+N */
    if (o->proc.status == PROC_EXITED && o->proc.code > 128 && o->proc.code < 128 + 32)
        sb_addf(out, "  (status %d is how the sandbox reports a death by signal %d, %s)\n", o->proc.code,
                o->proc.code - 128, strsignal(o->proc.code - 128));
    if (o->proc.err && o->proc.errlen) { /* the program's own last words */
        const char *p = o->proc.err + o->proc.errlen;
        int lines = 0;
        while (p > o->proc.err && lines < 6)
            if (*--p == '\n' && p + 1 < o->proc.err + o->proc.errlen)
                lines++;
        char *tail = xstrndup(p, (size_t)(o->proc.err + o->proc.errlen - p));
        char *t = student_text(G, tail);
        sb_add(out, "  its stderr ended with:\n");
        const char *pos = t, *line;
        size_t len;
        while (next_line(&pos, &line, &len))
            if (len)
                sb_addf(out, "      %.*s%s\n", (int)(len > 200 ? 200 : len), line, len > 200 ? " ..." : "");
        free(t), free(tail);
    }
}

double grade_left(const Grader *G)
{
    return G->deadline - now_seconds();
}

/* ---- the scratch directory and the sandbox ---- */

static bool setup(Grader *G)
{
    char *tmpl = xasprintf("%s/grade-XXXXXX", G->o->work_dir);
    if (!mkdir_p(G->o->work_dir) || !mkdtemp(tmpl)) {
        G->g->rejected = xasprintf("cannot create a scratch directory in %s: %s", G->o->work_dir, strerror(errno));
        free(tmpl);
        return false;
    }
    G->dir = tmpl;
    stop_watch_dir(G->dir); /* a stopped racelab removes it too */
    G->src_dir = path_join(G->dir, "src");
    G->cache = path_join(G->dir, "cache");
    G->runs = path_join(G->dir, "runs");
    G->scan_dir = path_join(G->dir, "scan");
    G->lab_cache = path_join(G->o->work_dir, "lab-cache"); /* the lab's own files, built once for a batch */
    G->src = xasprintf("%s/%s.c", G->src_dir, G->o->spec->name);
    mkdir_p(G->src_dir), mkdir_p(G->cache), mkdir_p(G->lab_cache), mkdir_p(G->runs), mkdir_p(G->scan_dir);
    if (!write_file(G->src, G->sub->text, G->sub->len)) {
        G->g->rejected = xasprintf("cannot write %s: %s", G->src, strerror(errno));
        return false;
    }
    chmod(G->src, 0444);
    sources_add(&G->ss, G->src);
    sandbox_init(&G->sb, G->o->sandbox);
    G->g->sandbox = xstrdup(G->sb.limits);
    /* Compilers see the source read-only, write only the cache and the
     * scan's folder; programs see the binaries and the explore runtime
     * read-only, write only their own run's folder. */
    SandboxMount bm[] = {{G->src_dir, false}, {G->cache, true}, {G->scan_dir, true}, {runtime_dir(), false}};
    SandboxStep st = {.mounts = bm,
                      .nmounts = ARRAY_LEN(bm),
                      .chdir = G->src_dir,
                      .clearenv = true,
                      .home = G->src_dir,
                      .cpu_seconds = 20, /* a fix compiles in under a second */
                      .fsize = 256ll << 20,
                      .as_limit = 4ll << 30};
    G->build_wrap = sandbox_argv(&G->sb, &st);
    return true;
}

static void teardown(Grader *G)
{
    sandbox_free(&G->sb);
    if (G->dir && !G->o->keep)
        remove_tree(G->dir);
    if (G->dir)
        stop_unwatch_dir(G->dir);
    strv_free(G->build_wrap);
    free(G->dir), free(G->src_dir), free(G->src), free(G->cache), free(G->runs), free(G->scan_dir), free(G->lab_cache);
    for (int k = 0; k < BUILD_KIND_COUNT; k++)
        build_result_free(&G->builds[k]);
    for (int t = 0; t < DETECTOR_COUNT; t++)
        run_outcome_free(&G->detector_runs[t]);
    allow_free(&G->allow);
    sources_free(&G->ss);
    free(G->serial);
    free(G->main_did_work);
}

RunOptions grade_run_options(Grader *G, double timeout)
{
    /* A folder of its own for each run, the only one it may write: a run
     * cannot leave anything for a later one to find. */
    static unsigned seq;
    char *dir = xasprintf("%s/%u", G->runs, seq++);
    mkdir_p(dir);
    SandboxMount rm[] = {{G->cache, false}, {G->lab_cache, false}, {runtime_dir(), false}, {dir, true}};
    SandboxStep st = {.mounts = rm, .nmounts = ARRAY_LEN(rm), .cpu_seconds = (long)timeout + 5, .fsize = 64ll << 20};
    double left = grade_left(G);
    return (RunOptions){.work_dir = dir,
                        .timeout = timeout < left ? timeout : left > 1 ? left : 1,
                        .wrapper = sandbox_argv(&G->sb, &st),
                        .max_output = 4u << 20, /* the grader reads 1 MiB of it */
                        .wrapper_exe = G->sb.exe};
}

void grade_run_options_free(RunOptions *ro)
{
    strv_free((char **)ro->wrapper);
    free((char *)ro->work_dir);
}

void grade_check_run_dir(Grader *G, const RunOutcome *o)
{
    DIR *d = o->run_dir ? opendir(o->run_dir) : NULL;
    struct dirent *e;
    int tsan_logs = 0;
    while (d && (e = readdir(d))) {
        const char *n = e->d_name;
        bool report_like = starts_with(n, "tsan.") || starts_with(n, "valgrind.") || starts_with(n, "explore.");
        if (!report_like)
            continue;
        bool tools = (o->tool == TOOL_TSAN && starts_with(n, "tsan.") && ++tsan_logs == 1) ||
                     (tool_is_valgrind(o->tool) && (!strcmp(n, "valgrind.xml") || !strcmp(n, "valgrind.log"))) ||
                     (o->tool == TOOL_EXPLORE && !strcmp(n, "explore.log"));
        if (!tools)
            cheat_add(&G->g->cheats, "report-forgery", 0, "a %s run left a file named %s", tool_name(o->tool), n);
    }
    if (d)
        closedir(d);
}

/* Threads that never ran at once: with every item passed, that is how
 * it passed (no concurrency, no race): a cheat. A program that fails
 * an item anyway is told, not called a cheat. */
static void serial_threads(Grader *G)
{
    bool failed = false;
    for (int i = 0; i < ITEM_COUNT; i++)
        failed = failed || item(G, (ItemId)i)->status == IS_FAILED;
    if (!failed)
        cheat_add(&G->g->cheats, "no-threads", 0, "%s", G->serial);
    else if (item(G, ITEM_EXPLORE)->status != IS_NA)
        sb_addf(&item(G, ITEM_EXPLORE)->detail,
                "  Note: %s. Threads run one at a time are not a fix: the exercise is to keep them concurrent and "
                "make them safe.\n",
                G->serial);
}

void grade_submission(const GradeOptions *o, const Submission *sub, GradeResult *g)
{
    memset(g, 0, sizeof *g);
    double t0 = now_seconds();
    Grader G = {.o = o, .sub = sub, .g = g, .runs_text = STRBUF_INIT};
    G.deadline = t0 + (o->budget > 0 ? o->budget : DEFAULT_BUDGET);
    G.rng = o->seeded ? o->seed : 0;
    if (!o->seeded && getrandom(&G.rng, sizeof G.rng, 0) != (ssize_t)sizeof G.rng)
        G.rng = (unsigned long long)now_seconds() ^ (unsigned long long)getpid();
    for (int i = 0; i < ITEM_COUNT; i++) {
        g->items[i].status = IS_SKIPPED;
        sb_init(&g->items[i].detail);
    }
    rubric(&G);
    for (size_t i = 0; i < sub->cheats.n; i++) { /* seen around the file, by the intake */
        const Cheat *c = &sub->cheats.items[i];
        Cheat copy = {xstrdup(c->id), c->line, xstrdup(c->message)};
        PUSH(g->cheats.items, g->cheats.n, g->cheats.cap, copy);
    }
    if (sub->rejected && !g->rejected)
        g->rejected = xstrdup(sub->rejected);
    if (!g->rejected && setup(&G)) {
        if (!build_phase(&G)) {
            skip_all(&G, ITEM_TSAN, "the program does not compile");
        } else if (g->cheats.n || g->rejected) {
            /* what the scan found scores 0: code known to be hostile (or
             * that the tools cannot check) is not run at all */
            skip_all(&G, ITEM_TSAN, g->cheats.n ? "the scan found a cheat (below): the program is not run"
                                                : "the submission cannot be graded (below)");
        } else {
            explore_phase(&G);
            static const ToolId tools[] = {TOOL_TSAN, TOOL_HELGRIND, TOOL_DRD, TOOL_MEMCHECK};
            for (size_t i = 0; i < ARRAY_LEN(tools); i++) {
                ItemId id = (ItemId)(ITEM_TSAN + i);
                if (item(&G, id)->status == IS_NA)
                    continue;
                if (G.stuck)
                    set_item(&G, id, IS_SKIPPED, "not run: the program does not finish on its own");
                else if (grade_left(&G) < 2)
                    set_item(&G, id, IS_FAILED, "not run: the grade's time budget ran out");
                else
                    detector(&G, tools[i], id);
            }
        }
    }
    if (G.serial)
        serial_threads(&G);
    if (g->rejected)
        skip_all(&G, ITEM_COMPILE, "the submission could not be graded");
    g->runs_text = sb_steal(&G.runs_text);
    teardown(&G);
    score(g);
    g->seconds = now_seconds() - t0;
}

void grade_result_free(GradeResult *g)
{
    for (int i = 0; i < ITEM_COUNT; i++) {
        free(g->items[i].summary);
        sb_free(&g->items[i].detail);
    }
    cheats_free(&g->cheats);
    free(g->rejected), free(g->runs_text), free(g->sandbox), free(g->policy), free(g->concurrency);
    memset(g, 0, sizeof *g);
}

void submission_free(Submission *s)
{
    free(s->display), free(s->text), free(s->rejected);
    cheats_free(&s->cheats);
    memset(s, 0, sizeof *s);
}
