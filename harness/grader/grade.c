/* Grading one submission: the hub. It sets up where the submission is
 * graded, calls the phases in order (the rubric; the builds and the scan;
 * the schedules under explore; the plain run, its threads measured; the
 * hard-coded answer; each detector) within the grade's time budget, and
 * records what each phase returns into the GradeResult: the items it
 * set, the cheats it saw, the inputs it drew. Then the score. Phases
 * take data and return data; none calls back here (grade_internal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "alloc.h"
#include "grade_internal.h"
#include "measure.h"

/* One grade in progress: what the hub keeps between phases. */
typedef struct {
    GradeEnv env;
    GradeResult *g;
    StrBuf runs_text;
    BuildPhase build;
    Explained explained;
    bool stuck;                            /* a run hung or flooded: the detectors would too */
    char *serial;                          /* its threads never ran at once (why), or NULL */
    const Report *decided[DETECTOR_COUNT]; /* the tools' reports so far, for the tool-limitation policy */
    RunOutcome detector_runs[DETECTOR_COUNT];
    Report explore_clean; /* no findings: what explore said when every schedule was right, with its evidence */
} Grader;

/* ---- recording what a phase returned ---- */

static GradeItem *item(Grader *G, ItemId id)
{
    return &G->g->items[id];
}

/* The item a phase set replaces the grade's (its points stay). */
static void record_item(Grader *G, ItemId id, GradeItem *from)
{
    GradeItem *c = item(G, id);
    free(c->summary);
    sb_free(&c->detail);
    c->status = from->status;
    c->summary = from->summary;
    c->detail = from->detail;
    *from = grade_item_new();
}

/* The cheats a phase saw and the inputs it drew, after the others'. */
static void record_found(Grader *G, CheatList *cheats, const StrBuf *runs)
{
    cheats_take(&G->g->cheats, cheats);
    if (runs && runs->len)
        sb_add(&G->runs_text, runs->buf);
}

/* A wrong answer seen outside explore (a plain run, a detector's run):
 * the explore item (right answers) fails, if nothing failed it yet. */
static void record_wrong(Grader *G, const char *summary, const char *detail, bool unless_na)
{
    GradeItem *c = item(G, ITEM_EXPLORE);
    if (!summary || c->status == IS_FAILED || (unless_na && c->status == IS_NA))
        return;
    item_set(c, IS_FAILED, "%s", summary);
    sb_add(&c->detail, detail);
}

static void skip_all(Grader *G, ItemId first, const char *why)
{
    for (int i = first; i < ITEM_COUNT; i++)
        if (item(G, (ItemId)i)->status != IS_NA)
            item_set(item(G, (ItemId)i), IS_SKIPPED, "not run: %s", why);
}

/* ---- the phases, in order ---- */

/* The builds and the scan: false if it does not compile. */
static bool run_build(Grader *G)
{
    build_phase(&G->env, &G->build);
    record_item(G, ITEM_COMPILE, &G->build.compile);
    record_found(G, &G->build.cheats, NULL);
    if (G->build.rejected && !G->g->rejected) {
        G->g->rejected = G->build.rejected;
        G->build.rejected = NULL;
    }
    return G->build.ok;
}

/* The schedules under explore, the plain run, the hard-coded answer. */
static void run_explore(Grader *G)
{
    ExplorePhase e;
    explore_phase(&G->env, &G->build, &G->explained, &e);
    record_item(G, ITEM_EXPLORE, &e.item);
    record_found(G, &e.cheats, &e.runs);
    G->stuck = e.stuck;
    if (e.clean) { /* no findings, and the evidence of every schedule */
        report_take_evidence(&G->explore_clean, &e.evidence);
        G->decided[TOOL_EXPLORE] = &G->explore_clean;
    }
    if (!G->stuck && grade_left(&G->env) > PLAIN_TIMEOUT) {
        ThreadsPhase t;
        threads_phase(&G->env, &G->build, &e, &t);
        record_found(G, &t.cheats, &t.runs);
        record_wrong(G, t.wrong_summary, t.wrong_detail, false);
        G->g->concurrency = t.concurrency;
        G->serial = t.serial;
        t.concurrency = t.serial = NULL;
        threads_phase_free(&t);
    }
    CheatList cheats = {0};
    StrBuf note = STRBUF_INIT;
    explore_hard_coded(&G->env, &e, &cheats, &note);
    record_found(G, &cheats, NULL);
    if (note.len)
        sb_add(&item(G, ITEM_EXPLORE)->detail, note.buf);
    sb_free(&note);
    explore_phase_free(&e);
}

/* Each detector graded, TSan first: a later tool's limitations rely on
 * an earlier tool's report. */
static void run_detectors(Grader *G)
{
    static const ToolId tools[] = {TOOL_TSAN, TOOL_HELGRIND, TOOL_DRD, TOOL_MEMCHECK};
    for (size_t i = 0; i < ARRAY_LEN(tools); i++) {
        ItemId id = (ItemId)(ITEM_TSAN + i);
        ToolId tool = tools[i];
        if (item(G, id)->status == IS_NA)
            continue;
        if (G->stuck) {
            item_set(item(G, id), IS_SKIPPED, "not run: the program does not finish on its own");
            continue;
        }
        if (grade_left(&G->env) < 2) {
            item_set(item(G, id), IS_FAILED, "not run: the grade's time budget ran out");
            continue;
        }
        DetectPhase d;
        detect_phase(&G->env, &G->build, tool, id, G->decided, &G->explained, &d);
        record_found(G, &d.cheats, &d.runs);
        G->detector_runs[tool] = d.run;
        if (d.decided)
            G->decided[tool] = &G->detector_runs[tool].report;
        G->stuck = G->stuck || d.stuck;
        record_wrong(G, d.wrong_summary, d.wrong_detail, true);
        record_item(G, id, &d.item);
        if (d.policy) {
            char *p = xasprintf("%s%s%s", G->g->policy ? G->g->policy : "", G->g->policy ? "; " : "", d.policy);
            free(G->g->policy);
            G->g->policy = p;
        }
        detect_phase_free(&d);
    }
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

static void grader_free(Grader *G)
{
    grade_env_teardown(&G->env);
    build_phase_free(&G->build);
    for (int t = 0; t < DETECTOR_COUNT; t++)
        run_outcome_free(&G->detector_runs[t]);
    report_free(&G->explore_clean);
    free(G->serial);
}

void grade_submission(const GradeOptions *o, const Submission *sub, GradeResult *g)
{
    memset(g, 0, sizeof *g);
    double t0 = now_seconds();
    Grader G = {.env = {.o = o, .sub = sub}, .g = g, .runs_text = STRBUF_INIT};
    G.env.deadline = t0 + (o->budget > 0 ? o->budget : DEFAULT_BUDGET);
    G.env.rng = o->seeded ? o->seed : 0;
    if (!o->seeded && getrandom(&G.env.rng, sizeof G.env.rng, 0) != (ssize_t)sizeof G.env.rng)
        G.env.rng = (unsigned long long)now_seconds() ^ (unsigned long long)getpid();
    for (int i = 0; i < ITEM_COUNT; i++)
        g->items[i] = grade_item_new();
    rubric(o->spec, g->items, &g->rejected);
    for (size_t i = 0; i < sub->cheats.n; i++) { /* seen around the file, by the intake */
        const Cheat *c = &sub->cheats.items[i];
        Cheat copy = {xstrdup(c->id), c->line, xstrdup(c->message)};
        PUSH(g->cheats.items, g->cheats.n, g->cheats.cap, copy);
    }
    if (sub->rejected && !g->rejected)
        g->rejected = xstrdup(sub->rejected);
    if (!g->rejected && grade_env_setup(&G.env, g)) {
        if (!run_build(&G)) {
            skip_all(&G, ITEM_TSAN, "the program does not compile");
        } else if (g->cheats.n || g->rejected) {
            /* what the scan found scores 0: code known to be hostile (or
             * that the tools cannot check) is not run at all */
            skip_all(&G, ITEM_TSAN, g->cheats.n ? "the scan found a cheat (below): the program is not run"
                                                : "the submission cannot be graded (below)");
        } else {
            run_explore(&G);
            run_detectors(&G);
        }
    }
    if (G.serial)
        serial_threads(&G);
    if (g->rejected)
        skip_all(&G, ITEM_COMPILE, "the submission could not be graded");
    g->runs_text = sb_steal(&G.runs_text);
    grader_free(&G);
    score(g);
    g->seconds = now_seconds() - t0;
}

void grade_result_free(GradeResult *g)
{
    for (int i = 0; i < ITEM_COUNT; i++)
        grade_item_free(&g->items[i]);
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
