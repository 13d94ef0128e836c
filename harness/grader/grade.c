/* Grading one submission: the scratch directory and the sandbox, the
 * inputs drawn, the grade items, and the order of the phases (build and native
 * runs, then each detector, then the score). */
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
#include "scan.h"
#include "text.h"

static const struct {
    const char *key, *name;
    int points;
} item_info[ITEM_COUNT] = {
    {"compile", "compiles (warnings shown, not fatal)", 10},
    {"tsan", "clean under ThreadSanitizer", 20},
    {"helgrind", "clean under Helgrind", 10},
    {"drd", "clean under DRD", 10},
    {"memcheck", "clean under memcheck (threads left behind)", 10},
    {"answer", "right answer, with inputs drawn by the grader", 25},
    {"threads", "really concurrent: creates the threads the case calls for", 10},
    {"time", "finishes in time", 5},
};

const char *item_name(ItemId id)
{
    return item_info[id].name;
}

const char *item_key(ItemId id)
{
    return item_info[id].key;
}

/* The counting shim, linked into the native build with
 * -Wl,--wrap=pthread_create: each thread created writes the grader's
 * secret tag to a copy of stderr taken before main (closing 2 later does
 * not hide it). The tag is new for every grade. */
static const char shim_fmt[] =
    "/* racelab grade: counts pthread_create calls (-Wl,--wrap=pthread_create). */\n"
    "#include <fcntl.h>\n#include <pthread.h>\n#include <unistd.h>\n"
    "int __real_pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);\n"
    "static int racelab_count_fd = 2;\n"
    "__attribute__((constructor)) static void racelab_count_init(void)\n"
    "{\n    int fd = fcntl(2, F_DUPFD_CLOEXEC, 100);\n    if (fd >= 0)\n        racelab_count_fd = fd;\n}\n"
    "int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)\n"
    "{\n    int r = __real_pthread_create(t, a, fn, arg);\n    if (r == 0) {\n"
    "        static const char tag[] = \"\\n%s\\n\";\n"
    "        ssize_t w = write(racelab_count_fd, tag, sizeof tag - 1);\n        (void)w;\n    }\n"
    "    return r;\n}\n";

/* ---- inputs ---- */

static unsigned long long rng_next(unsigned long long *s) /* splitmix64 */
{
    unsigned long long z = (*s += 0x9e3779b97f4a7c15ULL);
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
        p->value = hi > lo ? lo + (long long)(rng_next(&G->rng) % (unsigned long long)(hi - lo + 1)) : lo;
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

/* The first expected output line, over ps (for comparing answers). */
char *expected_line(const CaseSpec *s, const Params *ps)
{
    char *err = NULL;
    char *r = s->noutputs ? expr_subst(s->outputs[0], ps, &err) : xstrdup("");
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

static void skip_from(Grader *G, ItemId first, const char *why)
{
    for (int i = first; i < ITEM_COUNT; i++)
        if (item(G, (ItemId)i)->status != IS_NA)
            set_item(G, (ItemId)i, IS_SKIPPED, "not run: %s", why);
}

void answer_bad(Grader *G, const char *where, const char *why, bool wrong_value)
{
    G->answer_bad++;
    G->wrong_value = G->wrong_value || wrong_value;
    if (starts_with(why, "run 1 of 1: "))
        why += strlen("run 1 of 1: "); /* one run per lab job here */
    if (!G->answer_why)
        G->answer_why = xasprintf("%s: %s", where, why);
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
    G->src_dir = path_join(G->dir, "src");
    G->cache = path_join(G->dir, "cache");
    G->runs = path_join(G->dir, "runs");
    G->shim_dir = path_join(G->dir, "shim");
    G->src = xasprintf("%s/%s.c", G->src_dir, G->o->spec->name);
    mkdir_p(G->src_dir), mkdir_p(G->cache), mkdir_p(G->runs), mkdir_p(G->shim_dir);
    if (!write_file(G->src, G->sub->text, G->sub->len)) {
        G->g->rejected = xasprintf("cannot write %s: %s", G->src, strerror(errno));
        return false;
    }
    chmod(G->src, 0444);
    unsigned long long nonce = 0;
    if (getrandom(&nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce)
        nonce = rng_next(&G->rng) ^ (unsigned long long)getpid();
    G->tag = xasprintf("racelab-threads-%016llx", nonce);
    char *shim_text = xasprintf(shim_fmt, G->tag);
    char *shim = path_join(G->shim_dir, "racelab_count.c");
    write_file(shim, shim_text, strlen(shim_text));
    free(shim_text);
    strvec_push(&G->cflags, "-Wl,--wrap=pthread_create");
    strvec_push(&G->ldflags, shim);
    free(shim);
    sources_add(&G->ss, G->src);

    sandbox_init(&G->sb, G->o->sandbox);
    G->g->sandbox = xstrdup(G->sb.limits);
    /* Compilers see the source and the shim read-only, write only the
     * cache; programs see the binaries read-only, write only their runs. */
    SandboxMount bm[] = {{G->src_dir, false}, {G->shim_dir, false}, {G->cache, true}};
    SandboxStep st = {.mounts = bm,
                      .nmounts = ARRAY_LEN(bm),
                      .chdir = G->src_dir,
                      .clearenv = true,
                      .home = G->src_dir,
                      .cpu_seconds = 60,
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
    strv_free(G->build_wrap);
    free(G->dir), free(G->src_dir), free(G->src), free(G->cache), free(G->runs), free(G->shim_dir);
    strvec_clear(&G->cflags);
    strvec_clear(&G->ldflags);
    free(G->tag), free(G->native_exe), free(G->answer_why);
    sources_free(&G->ss);
}

void run_job(Grader *G, ToolId tool, const Params *ps, LabResult *r)
{
    double timeout = tool == TOOL_NATIVE ? NATIVE_TIMEOUT : tool == TOOL_TSAN ? TSAN_TIMEOUT : VALGRIND_TIMEOUT;
    SandboxMount rm[] = {{G->cache, false}, {G->runs, true}};
    SandboxStep st = {.mounts = rm, .nmounts = ARRAY_LEN(rm), .cpu_seconds = (long)timeout + 5, .fsize = 64ll << 20};
    char **wrap = sandbox_argv(&G->sb, &st);
    RunOptions ro = {.work_dir = G->runs, .timeout = timeout, .wrapper = wrap};
    LabJob j = {.spec = G->o->spec,
                .source = G->src,
                .variant = VARIANT_FIXED,
                .tool = tool,
                .run = &ro,
                .cache_dir = G->cache,
                .params = ps,
                .stress = ps,
                .native_runs = 1,
                .cflags = &G->cflags,
                .ldflags = &G->ldflags,
                .build_wrapper = G->build_wrap};
    lab_run(&j, r);
    strv_free(wrap);
    sandbox_kill_all(&G->sb); /* nothing a step started outlives it */
}

void grade_submission(const GradeOptions *o, const Submission *sub, GradeResult *g)
{
    memset(g, 0, sizeof *g);
    double t0 = now_seconds();
    Grader G = {.o = o, .sub = sub, .g = g, .runs_text = STRBUF_INIT, .cflags = STRVEC_INIT, .ldflags = STRVEC_INIT};
    G.rng = o->seeded ? o->seed : 0;
    if (!o->seeded && getrandom(&G.rng, sizeof G.rng, 0) != (ssize_t)sizeof G.rng)
        G.rng = (unsigned long long)now_seconds() ^ (unsigned long long)getpid();
    for (int i = 0; i < ITEM_COUNT; i++) {
        g->items[i].max = item_info[i].points;
        g->items[i].status = IS_SKIPPED;
        sb_init(&g->items[i].detail);
    }
    if (o->spec->tools[TOOL_MEMCHECK].blind)
        set_item(&G, ITEM_MEMCHECK, IS_NA, "not needed: memcheck is blind to this class (%s)",
                 o->spec->tools[TOOL_MEMCHECK].why);
    if (!o->spec->creates)
        set_item(&G, ITEM_THREADS, IS_NA, "not needed: the case has no creates: line");
    for (size_t i = 0; i < sub->cheats.n; i++) { /* seen around the file, by the intake */
        const Cheat *c = &sub->cheats.items[i];
        Cheat copy = {xstrdup(c->id), c->line, xstrdup(c->message)};
        PUSH(g->cheats.items, g->cheats.n, g->cheats.cap, copy);
    }
    if (sub->rejected) {
        g->rejected = xstrdup(sub->rejected);
    } else if (setup(&G)) {
        scan_source(sub->text, sub->len, &g->cheats, &g->facts);
        native_phase(&G);
        if (item(&G, ITEM_COMPILE)->status == IS_FAILED) {
            skip_from(&G, ITEM_TSAN, "the program does not compile");
        } else {
            scan_symbols(&G);
            bool tsan_clean = false;
            static const ToolId tools[] = {TOOL_TSAN, TOOL_HELGRIND, TOOL_DRD, TOOL_MEMCHECK};
            for (size_t i = 0; i < ARRAY_LEN(tools); i++) {
                ItemId id = (ItemId)(ITEM_TSAN + i);
                if (item(&G, id)->status == IS_NA)
                    continue;
                if (G.native_stuck) {
                    set_item(&G, id, IS_SKIPPED, "not run: the program does not finish on its own");
                    continue;
                }
                detector(&G, tools[i], id, tsan_clean);
                if (tools[i] == TOOL_TSAN)
                    tsan_clean = item(&G, id)->status == IS_PASSED;
            }
            finish_answer(&G);
            if (G.hung)
                set_item(&G, ITEM_TIME, IS_FAILED, "a run did not finish within its limit");
            else
                set_item(&G, ITEM_TIME, IS_PASSED,
                         "every run finished (limits: %.0f s native, %.0f s TSan, "
                         "%.0f s Valgrind)",
                         NATIVE_TIMEOUT, TSAN_TIMEOUT, VALGRIND_TIMEOUT);
        }
    }
    if (g->rejected)
        skip_from(&G, ITEM_COMPILE, "the submission could not be graded");
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
    free(g->rejected), free(g->runs_text), free(g->sandbox), free(g->policy);
    memset(g, 0, sizeof *g);
}

void submission_free(Submission *s)
{
    free(s->display), free(s->text), free(s->rejected);
    cheats_free(&s->cheats);
    memset(s, 0, sizeof *s);
}
