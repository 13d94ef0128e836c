/* The explore item: the submission's native runs under the schedule
 * controller, at inputs the grader draws and from seeds it draws, until a
 * schedule shows a wrong answer, a deadlock, a crash or a lock-order
 * cycle (every native run of a grade is an explore build: a program
 * cannot tell a watched run from an unwatched one). Then one plain run,
 * its threads measured from outside (tasks.h) against the case's own fix,
 * for "really concurrent"; and the hard-coded answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "explore.h"
#include "feedback.h"
#include "fs.h"
#include "grade_internal.h"
#include "judge.h"
#include "scan.h"
#include "tasks.h"
#include "text.h"
#include "utf8.h"

typedef struct {
    const CaseSpec *spec;
    const Params *ps;
} Oracle;

static bool right_answer(RunOutcome *o, void *ctx, char **why)
{
    const Oracle *a = ctx;
    if (o->proc.out_cut) {
        *why = xstrdup("its output was cut at 1 MiB: the grader reads no more");
        return false;
    }
    return oracle_check(a->spec, a->ps, o->proc.out, why);
}

/* The threads a schedule ran, as the explore runtime counted them (its
 * report's `end STEPS SWITCHES THREADS MAX MAIN WORK MAIN_WORK`): used only to keep a honest
 * program whose threads were too short to sample from being called a
 * cheat, never to pass one (a program can only declare threads it
 * does not have by writing into the runtime's memory, and it can name no
 * symbol of it: the allow-list). */
static void explore_threads(const RunOutcome *o, int *threads, int *at_once, unsigned long *work,
                            unsigned long *main_work)
{
    char *path = o->run_dir ? path_join(o->run_dir, "explore.log") : NULL;
    char *text = path ? read_file(path, 16u << 20, NULL, NULL) : NULL;
    const char *end = text ? strstr(text, "\nend ") : NULL;
    unsigned long steps, switches, main_steps;
    if (!end || sscanf(end + 5, "%lu %lu %d %d %lu %lu %lu", &steps, &switches, threads, at_once, &main_steps, work,
                       main_work) != 7)
        *threads = *at_once = 0, *work = *main_work = 0;
    free(text), free(path);
}

static void check_dir(const RunOutcome *o, bool failing, void *ctx)
{
    (void)failing;
    Grader *G = ctx;
    grade_check_run_dir(G, o);
    int t = 0, at_once = 0;
    unsigned long work = 0, main_work = 0;
    explore_threads(o, &t, &at_once, &work, &main_work);
    /* main made nine in ten of the program's memory accesses (1000 at
     * least), a spin's reads not counted: a main that spins on a flag
     * while its threads work rereads one address, and that is waiting,
     * not work (the runtime counts a reread as work only when no other
     * thread is alive) */
    if (main_work >= 1000 && work - main_work < main_work / 10 && !G->main_did_work)
        G->main_did_work = xasprintf("under explore (seed %llu), main made %lu of the program's %lu memory accesses "
                                     "(a spin's reads not counted), its other threads %lu",
                                     o->seed, main_work, work, work - main_work);
    if (t > G->explore_threads)
        G->explore_threads = t;
    if (at_once > G->explore_at_once)
        G->explore_at_once = at_once;
}

typedef struct {
    bool handout_right;   /* right with the handout's inputs */
    bool repeats_handout; /* printed the handout's answer for other inputs */
    char *repeat_where;
} Answers;

/* The lines of the student's file those steps name ("at NAME.c:12"),
 * each once, with their text: where to look. */
static void trace_lines(Grader *G, const char *trace, StrBuf *out)
{
    char *at = xasprintf("%s:", path_base(G->src));
    int lines[8];
    size_t n = 0;
    for (const char *p = strstr(trace, at); p && n < ARRAY_LEN(lines); p = strstr(p + 1, at)) {
        if (p > trace && p[-1] != ' ')
            continue;
        int l = atoi(p + strlen(at));
        bool seen = l <= 0;
        for (size_t k = 0; k < n && !seen; k++)
            seen = lines[k] == l;
        if (!seen)
            lines[n++] = l;
    }
    if (n)
        sb_add(out, "  The lines of your file in those steps:\n");
    for (size_t k = 0; k < n; k++) {
        char *text = source_line(G, lines[k]);
        sb_addf(out, "      line %d | %s\n", lines[k], text);
        free(text);
    }
    free(at);
}

/* What the student reads about the schedule that failed. */
static void describe_failure(Grader *G, const ExploreResult *er, const Params *ps, const char *pt)
{
    GradeItem *c = item(G, ITEM_EXPLORE);
    const RunOutcome *o = &er->run;
    if (c->status == IS_FAILED)
        return; /* the first schedule that failed is told; others add nothing */
    if (o->status != RUN_OK) {
        set_item(G, ITEM_EXPLORE, IS_FAILED, "a run under explore did not finish properly (inputs %s)", pt);
        sb_addf(&c->detail, "  seed %llu, inputs %s:\n", o->seed, pt);
        describe_run_error(G, o, &c->detail);
        if (o->status == RUN_TIMEOUT || o->status == RUN_DEADLOCK)
            G->stuck = true;
        return;
    }
    const Finding *f = &o->report.items[0];
    set_item(G, ITEM_EXPLORE, IS_FAILED, "schedule %d (seed %llu) with inputs %s: %s", er->runs, o->seed, pt,
             kind_info(TOOL_EXPLORE, f->kind).phrase);
    describe_report(G, &o->report, &c->detail, item_name(ITEM_EXPLORE), NULL);
    if (f->detail && *f->detail) {
        char *t = student_text(G, f->detail);
        sb_add(&c->detail, "  The schedule that shows it, last steps:\n");
        const char *pos = t, *line;
        size_t len;
        while (next_line(&pos, &line, &len))
            sb_addf(&c->detail, "      %.*s\n", (int)len, line);
        trace_lines(G, t, &c->detail);
        free(t);
    }
    StrBuf args = STRBUF_INIT;
    for (size_t i = 0; i < ps->n; i++)
        sb_addf(&args, " %lld", ps->items[i].value);
    char *name = printable_str(G->sub->display);
    sb_addf(&c->detail, "  To see it again: racelab check %s --tools explore --seed %llu --%s\n", name, o->seed,
            args.buf);
    free(name);
    sb_free(&args);
}

/* Schedules at one set of inputs; true if every one was right. */
static bool explore_round(Grader *G, int round, const Params *ps, const Params *handout, Answers *ans)
{
    char *pt = params_text(ps);
    unsigned long long first = grade_random(G) % 1000000000ULL + 1;
    int seeds = round == 0 ? EXPLORE_SEEDS : EXPLORE_SEEDS_DRAWN;
    sb_addf(&G->runs_text, "explore %d: %s, seeds %llu..%llu%s\n", round + 1, pt, first, first + (unsigned)seeds - 1,
            round == 0 ? " (the handout's inputs)" : "");
    StrVec args = STRVEC_INIT;
    spec_args(ps, &args);
    Oracle a = {G->o->spec, ps};
    RunOptions ro = grade_run_options(G, EXPLORE_TIMEOUT);
    ExploreLoop l = {.first_seed = first,
                     .seeds = seeds,
                     .oracle = right_answer,
                     .oracle_ctx = &a,
                     .each = check_dir,
                     .each_ctx = G};
    ExploreResult er;
    explore_loop(G->builds[BUILD_EXPLORE].exe, &args, &ro, &l, &G->ss, &er);
    bool ok = !er.undecided && !er.failing;
    if (!ok)
        describe_failure(G, &er, ps, pt);
    /* the answer it printed, against the handout's, for a hard-coded one */
    char *h = NULL, *mine = expected_line(G->o->spec, ps), *theirs = expected_line(G->o->spec, handout);
    if (round == 0)
        ans->handout_right = ok;
    else if (er.run.proc.out && strcmp(mine, theirs) != 0 && oracle_check(G->o->spec, handout, er.run.proc.out, &h) &&
             !ans->repeats_handout) {
        ans->repeats_handout = true;
        ans->repeat_where = xasprintf("with %s it still printed '%s'", pt, theirs);
    }
    free(h), free(mine), free(theirs);
    explore_result_free(&er);
    grade_run_options_free(&ro);
    strvec_clear(&args);
    free(pt);
    return ok;
}

/* ---- the threads, measured from outside ---- */

typedef struct {
    TaskSummary ts;
    double main_ms;    /* main thread's CPU */
    double workers_ms; /* every other thread's, dead ones included (the kernel's total less main's and the
                          wrappers') */
    double unseen_ms;  /* of the kernel's total, what no sample saw (main's or a thread's: unknown) */
    bool ok;           /* the run finished, was sampled and accounted */
    bool right;        /* its answer */
    char *why;         /* a wrong answer */
} Threads;

static void measure(Grader *G, const char *exe, const Params *ps, Threads *th)
{
    memset(th, 0, sizeof *th);
    TaskWatch w;
    tasks_watch_init(&w, exe);
    StrVec args = STRVEC_INIT;
    spec_args(ps, &args);
    RunOptions ro = grade_run_options(G, PLAIN_TIMEOUT);
    ro.tick = tasks_sample;
    ro.tick_ctx = &w;
    RunOutcome o;
    run_tool(TOOL_NATIVE, exe, &args, &ro, &G->ss, &o); /* the explore build, its scheduler off */
    grade_check_run_dir(G, &o);
    tasks_summarize(&w, &th->ts);
    th->main_ms = (double)th->ts.main_ns / 1e6;
    double rest = o.proc.cpu * 1e3 - th->main_ms - (double)th->ts.wrap_ns / 1e6; /* every other thread's */
    th->workers_ms = rest > (double)th->ts.threads_ns / 1e6 ? rest : (double)th->ts.threads_ns / 1e6;
    th->unseen_ms = rest - (double)th->ts.threads_ns / 1e6;
    /* a program that ends before the first sample is measured all the same:
     * nothing of it was seen, and the kernel counted its CPU */
    th->ok = o.status == RUN_OK && o.proc.cpu >= 0;
    Oracle a = {G->o->spec, ps};
    th->right = th->ok && right_answer(&o, &a, &th->why);
    if (!th->ok)
        th->why = xstrdup(o.error ? o.error : "the run was not measured");
    if (o.run_dir && !G->o->keep)
        remove_tree(o.run_dir);
    run_outcome_free(&o);
    grade_run_options_free(&ro);
    strvec_clear(&args);
    tasks_free(&w);
}

/* A measurement most of whose CPU no sample saw: on a busy machine the
 * sampler may not run while the program does, and the kernel's total
 * cannot say whose that CPU was (main's work after its last sample reads
 * as its threads'). */
static bool coarse(const Threads *th)
{
    return th->ok && th->unseen_ms > 5 && th->unseen_ms > 0.25 * (th->main_ms + th->workers_ms);
}

/* Up to three runs, until one is not coarse; the last one otherwise. */
static void measure_well(Grader *G, const char *exe, const Params *ps, Threads *th)
{
    measure(G, exe, ps, th);
    for (int again = 0; again < 2 && coarse(th); again++) {
        free(th->why);
        measure(G, exe, ps, th);
    }
}

/* The case's own fix, measured the same way: what "concurrent" means for
 * this case (lock_order's fix runs its threads one after the other).
 * Measured once for a batch: kept in the lab cache, named by the fix's
 * text and the inputs. */
static bool reference(Grader *G, Threads *ref)
{
    char *path = lab_case_path(G->o->root, G->o->spec->name, VARIANT_FIXED);
    size_t n = 0;
    char *text = read_file(path, 4u << 20, &n, NULL);
    char *pt = params_text(&G->o->spec->stress);
    unsigned long long h = (unsigned long long)fnv1a(pt, strlen(pt), fnv1a(text ? text : "", n, FNV_INIT));
    char *saved = xasprintf("%s/reference-%016llx.txt", G->lab_cache, h);
    char *line = read_file(saved, 4096, NULL, NULL);
    memset(ref, 0, sizeof *ref);
    bool ok = line && sscanf(line, "%lf %lf %d %d %d", &ref->main_ms, &ref->workers_ms, &ref->ts.threads,
                             &ref->ts.long_lived, &ref->ts.at_once) == 5;
    if (!ok && text) {
        StrVec src = STRVEC_INIT;
        strvec_push(&src, path);
        BuildSpec bs = {.sources = &src, .kind = BUILD_EXPLORE, .cache_dir = G->lab_cache};
        BuildResult b;
        build_program(&bs, &b);
        if (b.ok)
            measure_well(G, b.exe, &G->o->spec->stress, ref);
        ok = b.ok && ref->ok;
        if (ok && !coarse(ref)) { /* a coarse yardstick is used once, not kept for the batch */
            char *l = xasprintf("%.3f %.3f %d %d %d\n", ref->main_ms, ref->workers_ms, ref->ts.threads,
                                ref->ts.long_lived, ref->ts.at_once);
            char *err = NULL;
            write_file_atomic(saved, l, strlen(l), &err);
            free(err), free(l);
        }
        build_result_free(&b);
        strvec_clear(&src);
    }
    free(line), free(saved), free(pt), free(text), free(path);
    return ok;
}

static char *threads_text(const Threads *t)
{
    char *unseen = coarse(t) ? xasprintf(" (%.1f ms of it seen by no sample: a busy machine)", t->unseen_ms)
                             : xstrdup("");
    char *r = xasprintf("main %.1f ms of CPU, its other threads %.1f ms%s; %d thread%s seen, at most %d at once",
                        t->main_ms, t->workers_ms, unseen, t->ts.threads, t->ts.threads == 1 ? "" : "s",
                        t->ts.at_once);
    free(unseen);
    return r;
}

/* Really concurrent, with the case's fix as the yardstick. Two ways not
 * to be, each judged only on evidence that cannot come from a fast
 * correct fix: main doing the work the fix gives its threads (main's CPU
 * beyond the fix's, with the threads' total far below it: the kernel
 * counts every thread, however short), and threads run one at a time
 * (threads that lived for several samples, never two at once, where the
 * fix's overlap). A main that does a share of the work is fine. */
/* Which evidence, if any, a measurement gives that main did the work the
 * fix gives its threads. */
typedef enum { WORK_SHARED, WORK_MAIN_EXPLORE, WORK_MAIN_KERNEL } Work;

static Work who_worked(const Grader *G, const Threads *th, const Threads *ref)
{
    /* (A coarse run still counts: CPU no sample saw is put to the
     * threads' account, so it can only make main look less busy.) */
    if (!th->ok)
        return WORK_SHARED;
    /* explore saw main make nearly all the writes, and the kernel agrees:
     * its threads used less CPU than main */
    if (G->main_did_work && th->workers_ms < th->main_ms)
        return WORK_MAIN_EXPLORE;
    /* main did more than the fix's main did, by more than twice what all
     * the threads did (work on its own stack, which explore does not see) */
    double extra = th->main_ms - ref->main_ms;
    return extra >= 10 && th->workers_ms < extra / 2 ? WORK_MAIN_KERNEL : WORK_SHARED;
}

static void concurrency(Grader *G)
{
    Threads th, ref;
    const char *exe = G->builds[BUILD_EXPLORE].exe;
    measure_well(G, exe, &G->o->spec->stress, &th);
    char *pt = params_text(&G->o->spec->stress);
    sb_addf(&G->runs_text, "plain run, threads measured: %s\n", pt);
    if (th.ts.processes > 1)
        cheat_add(&G->g->cheats, "extra-process", 0, "the program ran as %zu processes", th.ts.processes);
    if (!th.right && item(G, ITEM_EXPLORE)->status != IS_FAILED) {
        char *w = student_text(G, th.why);
        set_item(G, ITEM_EXPLORE, IS_FAILED, "wrong in a plain run with inputs %s", pt);
        sb_addf(&item(G, ITEM_EXPLORE)->detail, "  %s\n  Hint: %s\n", w,
                feedback_wrong_answer_hint(G->o->spec->klass));
        free(w);
    }
    if (th.ok && reference(G, &ref)) {
        /* A main that spins while its threads work uses CPU as long as
         * they take, and longer on a busy machine (ctest -j4 on 2 cores
         * made a correct fix's spinning main look like the worker): main's
         * work counts only when three runs in a row show it. */
        Work w = who_worked(G, &th, &ref);
        for (int again = 0; again < 2 && w != WORK_SHARED; again++) {
            Threads more;
            measure_well(G, exe, &G->o->spec->stress, &more);
            w = who_worked(G, &more, &ref) == WORK_SHARED ? WORK_SHARED : w;
            free(th.why);
            th = more;
        }
        char *mine = threads_text(&th), *theirs = threads_text(&ref);
        G->g->concurrency = xasprintf("%s (the case's fix: %s)", mine, theirs);
        /* no thread ran long enough to be sampled (a quarter of a
         * millisecond, when the machine lets the sampler run) where the
         * fix's did, and no schedule under explore had a thread besides
         * main (the kernel's account alone cannot tell: it has a few ms of
         * noise, the wrappers' exit) */
        bool none = th.ts.threads == 0 && ref.ts.threads >= 1 && G->explore_threads <= 1;
        if (none)
            cheat_add(&G->g->cheats, "no-threads", 0,
                      "measured from outside: no thread of it ran long enough to be seen, where the case's fix's "
                      "%d did, and no schedule under explore had a thread besides main (%s)",
                      ref.ts.threads, G->g->concurrency);
        else if (w == WORK_MAIN_EXPLORE)
            cheat_add(&G->g->cheats, "no-threads", 0, "main did the work: %s; in three runs (%s)", G->main_did_work,
                      G->g->concurrency);
        else if (w == WORK_MAIN_KERNEL)
            cheat_add(&G->g->cheats, "no-threads", 0,
                      "measured from outside, in three runs: main did %.1f ms of work more than the case's fix's "
                      "main, its other threads %.1f ms in all (%s)",
                      th.main_ms - ref.main_ms, th.workers_ms, G->g->concurrency);
        else if (((th.ts.long_lived >= 2 && th.ts.at_once < 2) || (G->explore_threads > 2 && G->explore_at_once <= 2) ||
                  /* one thread besides main, in every run: one worker */
                  (th.ts.threads == 1 && th.ts.long_lived == 1 && G->explore_threads == 2)) &&
                 ref.ts.at_once >= 2)
            G->serial = xasprintf("its threads never ran two at once (measured from outside: at most %d at once; "
                                  "under explore, %d threads in all, at most %d alive at once with main), where the "
                                  "case's fix runs %d at once (%s)",
                                  th.ts.at_once, G->explore_threads, G->explore_at_once, ref.ts.at_once,
                                  G->g->concurrency);
        free(mine), free(theirs);
        free(ref.why);
    }
    free(th.why);
    free(pt);
}

/* Expected answers written in the source: a cheat only when the program
 * printed the handout's answer for other inputs too. */
static void hard_coded(Grader *G, const Params *handout, const Answers *ans)
{
    if (!ans->handout_right || !ans->repeats_handout)
        return;
    char *line = expected_line(G->o->spec, handout);
    int at = 0;
    char digits[64] = "";
    for (const char *p = line; *p && !at; p++) {
        size_t n = strspn(p, "0123456789");
        if (n >= 2 && n < sizeof digits) { /* "0" and "1" are everywhere */
            memcpy(digits, p, n);
            digits[n] = '\0';
            at = source_find_number(G->sub->text, G->sub->len, digits);
        }
        p += n ? n - 1 : 0;
    }
    char *pt = params_text(handout);
    if (at)
        cheat_add(&G->g->cheats, "hard-coded", at, "line %d writes %s, the answer for the handout's inputs (%s) only; %s",
                  at, digits, pt, ans->repeat_where);
    else
        sb_addf(&item(G, ITEM_EXPLORE)->detail,
                "  It prints '%s' (the handout's answer) whatever the input: the answer must be computed by the "
                "threads.\n",
                line);
    free(pt);
    free(line);
}

void explore_phase(Grader *G)
{
    const CaseSpec *s = G->o->spec;
    Params handout = params_copy(&s->params);
    char *h_line = expected_line(s, &handout);
    Answers ans = {0};
    bool ok = true;
    for (int round = 0; round < EXPLORE_ROUNDS && grade_left(G) > EXPLORE_TIMEOUT; round++) {
        Params ps = round == 0 ? params_copy(&handout) : grade_draw(G, true);
        for (int k = 0; round > 0 && k < 8; k++) { /* inputs whose answer differs from the handout's */
            char *l = expected_line(s, &ps);
            bool same = !strcmp(l, h_line);
            free(l);
            if (!same)
                break;
            params_free(&ps);
            ps = grade_draw(G, true);
        }
        ok = explore_round(G, round, &ps, &handout, &ans) && ok;
        params_free(&ps);
        /* The bug is shown: no more rounds. (A hard-coded answer is right
         * at the handout's inputs and wrong at others: after a first round
         * that was right, the round that fails is the evidence.) */
        if (!ok)
            break;
    }
    if (ok && item(G, ITEM_EXPLORE)->status != IS_FAILED)
        G->decided[TOOL_EXPLORE] = &G->explore_clean;
    if (ok && item(G, ITEM_EXPLORE)->status != IS_FAILED)
        set_item(G, ITEM_EXPLORE, IS_PASSED,
                 "right in every schedule tried (%d at the handout's inputs, %d at each of %d drawn inputs)",
                 EXPLORE_SEEDS, EXPLORE_SEEDS_DRAWN, EXPLORE_ROUNDS - 1);
    if (!G->stuck && grade_left(G) > PLAIN_TIMEOUT)
        concurrency(G);
    hard_coded(G, &handout, &ans);
    free(ans.repeat_where);
    free(h_line);
    params_free(&handout);
}
