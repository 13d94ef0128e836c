/* "Really concurrent": one plain run of the submission's explore build
 * (its scheduler off), its threads measured from outside (tasks.h)
 * against the case's own fix, measured the same way; with what explore's
 * runtime counted of its threads (ExplorePhase) as the other witness. A
 * wrong answer in that run is one too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "feedback.h"
#include "fs.h"
#include "grade_internal.h"
#include "tasks.h"
#include "text.h"

/* The threads phase at work: what it reads, and its result. */
typedef struct {
    const GradeEnv *env;
    ThreadsPhase *out;
} Meter;

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

static void measure(const Meter *M, const char *exe, const Params *ps, Threads *th)
{
    const GradeEnv *env = M->env;
    memset(th, 0, sizeof *th);
    TaskWatch w;
    tasks_watch_init(&w, exe);
    StrVec args = STRVEC_INIT;
    spec_args(ps, &args);
    RunOptions ro = grade_run_options(env, PLAIN_TIMEOUT);
    ro.tick = tasks_sample;
    ro.tick_ctx = &w;
    RunOutcome o;
    run_tool(TOOL_NATIVE, exe, &args, &ro, &env->ss, &o); /* the explore build, its scheduler off */
    grade_check_run_dir(&o, &M->out->cheats);
    tasks_summarize(&w, &th->ts);
    th->main_ms = (double)th->ts.main_ns / 1e6;
    double rest = o.proc.cpu * 1e3 - th->main_ms - (double)th->ts.wrap_ns / 1e6; /* every other thread's */
    th->workers_ms = rest > (double)th->ts.threads_ns / 1e6 ? rest : (double)th->ts.threads_ns / 1e6;
    th->unseen_ms = rest - (double)th->ts.threads_ns / 1e6;
    /* a program that ends before the first sample is measured all the same:
     * nothing of it was seen, and the kernel counted its CPU */
    th->ok = o.status == RUN_OK && o.proc.cpu >= 0;
    th->right = th->ok && grade_right_answer(env->o->spec, ps, &o, &th->why);
    if (!th->ok)
        th->why = xstrdup(o.error ? o.error : "the run was not measured");
    if (o.run_dir && !env->o->keep)
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
static void measure_well(const Meter *M, const char *exe, const Params *ps, Threads *th)
{
    measure(M, exe, ps, th);
    for (int again = 0; again < 2 && coarse(th); again++) {
        free(th->why);
        measure(M, exe, ps, th);
    }
}

/* The case's own fix, measured the same way: what "concurrent" means for
 * this case (lock_order's fix runs its threads one after the other).
 * Measured once for a batch: kept in the lab cache, named by the fix's
 * text and the inputs. */
static bool reference(const Meter *M, Threads *ref)
{
    const GradeEnv *env = M->env;
    char *path = lab_case_path(env->o->root, env->o->spec->name, VARIANT_FIXED);
    size_t n = 0;
    char *text = read_file(path, 4u << 20, &n, NULL);
    char *pt = params_text(&env->o->spec->stress);
    unsigned long long h = (unsigned long long)fnv1a(pt, strlen(pt), fnv1a(text ? text : "", n, FNV_INIT));
    char *saved = xasprintf("%s/reference-%016llx.txt", env->lab_cache, h);
    char *line = read_file(saved, 4096, NULL, NULL);
    memset(ref, 0, sizeof *ref);
    bool ok = line && sscanf(line, "%lf %lf %d %d %d", &ref->main_ms, &ref->workers_ms, &ref->ts.threads,
                             &ref->ts.long_lived, &ref->ts.at_once) == 5;
    if (!ok && text) {
        StrVec src = STRVEC_INIT;
        strvec_push(&src, path);
        BuildSpec bs = {.sources = &src, .kind = BUILD_EXPLORE, .cache_dir = env->lab_cache};
        BuildResult b;
        build_program(&bs, &b);
        if (b.ok)
            measure_well(M, b.exe, &env->o->spec->stress, ref);
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

static Work who_worked(const ExplorePhase *e, const Threads *th, const Threads *ref)
{
    /* (A coarse run still counts: CPU no sample saw is put to the
     * threads' account, so it can only make main look less busy.) */
    if (!th->ok)
        return WORK_SHARED;
    /* explore saw main make nearly all the writes, and the kernel agrees:
     * its threads used less CPU than main */
    if (e->main_did_work && th->workers_ms < th->main_ms)
        return WORK_MAIN_EXPLORE;
    /* main did more than the fix's main did, by more than twice what all
     * the threads did (work on its own stack, which explore does not see) */
    double extra = th->main_ms - ref->main_ms;
    return extra >= 10 && th->workers_ms < extra / 2 ? WORK_MAIN_KERNEL : WORK_SHARED;
}

void threads_phase(const GradeEnv *env, const BuildPhase *b, const ExplorePhase *e, ThreadsPhase *out)
{
    memset(out, 0, sizeof *out);
    sb_init(&out->runs);
    Meter M = {.env = env, .out = out};
    const CaseSpec *s = env->o->spec;
    Threads th, ref;
    const char *exe = b->builds[BUILD_EXPLORE].exe;
    measure_well(&M, exe, &s->stress, &th);
    char *pt = params_text(&s->stress);
    sb_addf(&out->runs, "plain run, threads measured: %s\n", pt);
    if (th.ts.processes > 1)
        cheat_add(&out->cheats, "extra-process", 0, "the program ran as %zu processes", th.ts.processes);
    if (!th.right) {
        char *w = student_text(env, th.why);
        out->wrong_summary = xasprintf("wrong in a plain run with inputs %s", pt);
        out->wrong_detail = xasprintf("  %s\n  Hint: %s\n", w, feedback_wrong_answer_hint(s->klass));
        free(w);
    }
    if (th.ok && reference(&M, &ref)) {
        /* A main that spins while its threads work uses CPU as long as
         * they take, and longer on a busy machine (ctest -j4 on 2 cores
         * made a correct fix's spinning main look like the worker): main's
         * work counts only when three runs in a row show it. */
        Work w = who_worked(e, &th, &ref);
        for (int again = 0; again < 2 && w != WORK_SHARED; again++) {
            Threads more;
            measure_well(&M, exe, &s->stress, &more);
            w = who_worked(e, &more, &ref) == WORK_SHARED ? WORK_SHARED : w;
            free(th.why);
            th = more;
        }
        char *mine = threads_text(&th), *theirs = threads_text(&ref);
        char *measured = out->concurrency = xasprintf("%s (the case's fix: %s)", mine, theirs);
        /* no thread ran long enough to be sampled (a quarter of a
         * millisecond, when the machine lets the sampler run) where the
         * fix's did, and no schedule under explore had a thread besides
         * main (the kernel's account alone cannot tell: it has a few ms of
         * noise, the wrappers' exit) */
        bool none = th.ts.threads == 0 && ref.ts.threads >= 1 && e->threads <= 1;
        if (none)
            cheat_add(&out->cheats, "no-threads", 0,
                      "measured from outside: no thread of it ran long enough to be seen, where the case's fix's "
                      "%d did, and no schedule under explore had a thread besides main (%s)",
                      ref.ts.threads, measured);
        else if (w == WORK_MAIN_EXPLORE)
            cheat_add(&out->cheats, "no-threads", 0, "main did the work: %s; in three runs (%s)", e->main_did_work,
                      measured);
        else if (w == WORK_MAIN_KERNEL)
            cheat_add(&out->cheats, "no-threads", 0,
                      "measured from outside, in three runs: main did %.1f ms of work more than the case's fix's "
                      "main, its other threads %.1f ms in all (%s)",
                      th.main_ms - ref.main_ms, th.workers_ms, measured);
        else if (((th.ts.long_lived >= 2 && th.ts.at_once < 2) || (e->threads > 2 && e->at_once <= 2) ||
                  /* one thread besides main, in every run: one worker */
                  (th.ts.threads == 1 && th.ts.long_lived == 1 && e->threads == 2)) &&
                 ref.ts.at_once >= 2)
            out->serial = xasprintf("its threads never ran two at once (measured from outside: at most %d at once; "
                                    "under explore, %d threads in all, at most %d alive at once with main), where "
                                    "the case's fix runs %d at once (%s)",
                                    th.ts.at_once, e->threads, e->at_once, ref.ts.at_once, measured);
        free(mine), free(theirs);
        free(ref.why);
    }
    free(th.why);
    free(pt);
}

void threads_phase_free(ThreadsPhase *t)
{
    cheats_free(&t->cheats);
    sb_free(&t->runs);
    free(t->concurrency), free(t->serial), free(t->wrong_summary), free(t->wrong_detail);
}
