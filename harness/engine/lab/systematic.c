#include "systematic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "explore_choices.h"
#include "fs.h"
#include "measure.h"
#include "strbuf.h"

#define CHOICES_MAX (16u << 20) /* bytes of report read for its choice points */

/* A choice point of the schedule being extended: what was seen there, the
 * threads tried there so far (at this bound), and the preemptions up to it. */
typedef struct {
    Choice c;
    bool *tried;
    int chosen;
    int pre;
} Node;

typedef struct {
    Node *v;
    size_t n, cap;
} Path;

typedef struct {
    const char *exe;
    const StrVec *args;
    const RunOptions *opt;
    const SystematicSpec *sp;
    const SourceSet *ss;
} Search;

static void node_free(Node *nd)
{
    for (int i = 0; i < nd->c.n; i++)
        free(nd->c.run[i].op), free(nd->c.run[i].ref);
    free(nd->c.run);
    free(nd->tried);
}

static void path_truncate(Path *p, size_t n)
{
    while (p->n > n)
        node_free(&p->v[--p->n]);
}

/* The deviations from the default policy at the first n choice points. */
static char *schedule_string(const Path *p, size_t n)
{
    StrBuf sb = STRBUF_INIT;
    sb_add(&sb, "");
    for (size_t i = 0; i < n; i++)
        if (p->v[i].chosen != choice_default(&p->v[i].c))
            sb_addf(&sb, "%s%zu:%d", sb.len ? "," : "", i, p->v[i].chosen);
    return sb_steal(&sb);
}

/* The same choice point: the same current thread and runnable threads,
 * each about to do the same kind of thing (addresses may move: ASLR). */
static bool same_choice(const Choice *a, const Choice *b)
{
    if (a->cur != b->cur || a->n != b->n || a->yielded != b->yielded)
        return false;
    for (int i = 0; i < a->n; i++)
        if (a->run[i].tid != b->run[i].tid || strcmp(a->run[i].op, b->run[i].op) != 0)
            return false;
    return true;
}

/* Runs one schedule and reads its choice points. */
static void run_one(const Search *s, const char *schedule, RunOutcome *o, ChoiceTrace *t)
{
    RunOptions ro = *s->opt;
    ro.schedule = schedule;
    run_tool(TOOL_EXPLORE, s->exe, s->args, &ro, s->ss, o);
    explore_check_answer(o, s->sp->oracle, s->sp->oracle_ctx);
    memset(t, 0, sizeof *t);
    char *path = o->run_dir ? path_join(o->run_dir, "explore.log") : NULL;
    size_t len = 0;
    char *text = path ? read_file(path, CHOICES_MAX, &len, NULL) : NULL;
    free(path);
    if (text)
        choices_read(text, len, t);
    else
        t->garbled = xstrdup("no report to read the choice points from");
    free(text);
}

static void drop_run(const Search *s, RunOutcome *o)
{
    if (!s->opt->keep_run_dir && o->run_dir)
        remove_tree(o->run_dir);
    run_outcome_free(o);
}

/* Appends the run's choice points from `from` on, each tried at what it ran. */
static void extend(Path *p, ChoiceTrace *t, size_t from)
{
    for (size_t i = from; i < t->n; i++) {
        Node nd = {.c = t->v[i], .chosen = t->v[i].chosen};
        t->v[i].run = NULL; /* moved */
        t->v[i].n = 0;
        nd.tried = xcalloc((size_t)nd.c.n, sizeof *nd.tried);
        for (int k = 0; k < nd.c.n; k++)
            nd.tried[k] = nd.c.run[k].tid == nd.chosen;
        nd.pre = (i ? p->v[i - 1].pre : 0) + choice_preempts(&nd.c, nd.chosen);
        PUSH(p->v, p->n, p->cap, nd);
    }
}

/* The deepest choice point with a thread not yet tried within the bound:
 * it is chosen, the path cut after it. False when none is left; *cut set
 * when the bound kept one out. */
static bool backtrack(Path *p, int bound, bool *cut)
{
    for (size_t i = p->n; i-- > 0;) {
        Node *nd = &p->v[i];
        int base = i ? p->v[i - 1].pre : 0;
        for (int k = 0; k < nd->c.n; k++) {
            if (nd->tried[k])
                continue;
            int pre = base + choice_preempts(&nd->c, nd->c.run[k].tid);
            if (pre > bound) {
                *cut = true;
                continue;
            }
            nd->tried[k] = true;
            nd->chosen = nd->c.run[k].tid;
            nd->pre = pre;
            path_truncate(p, i + 1);
            return true;
        }
    }
    return false;
}

/* Why a run cannot be part of the search, or NULL. */
static char *unusable(const RunOutcome *o, const ChoiceTrace *t, const Path *p, size_t prefix)
{
    if (o->status != RUN_OK)
        return xasprintf("a schedule could not be judged: %s", o->error ? o->error : run_status_name(o->status));
    if (t->garbled)
        return xasprintf("the explore report: %s", t->garbled);
    if (t->malformed)
        return xstrdup("the runtime did not take the schedule");
    for (size_t i = 0; i < prefix; i++) {
        if (i >= t->n || !same_choice(&p->v[i].c, &t->v[i]) || t->v[i].chosen != p->v[i].chosen || t->v[i].diverged)
            return xasprintf("the program did not repeat itself: choice point %zu differs from the last run of the "
                             "same schedule (its run depends on more than the schedule: time, randomness, input)",
                             i);
    }
    return NULL;
}

void systematic_search(const char *exe, const StrVec *args, const RunOptions *opt, const SystematicSpec *sp,
                       const SourceSet *ss, SystematicResult *res)
{
    memset(res, 0, sizeof *res);
    Search s = {exe, args, opt, sp, ss};
    double t0 = now_seconds();
    Report evidence;
    report_init(&evidence);
    bool have = false, done = false;
    char *inexact = NULL; /* a run left the schedule or was cut: no verified verdict */
    for (int bound = 0; bound <= sp->max_bound && !done; bound++) {
        Path p = {0};
        size_t prefix = 0;
        bool cut = false;
        res->bound = bound;
        res->runs_at_bound = 0;
        for (;;) {
            if ((sp->max_runs > 0 && res->runs >= sp->max_runs) ||
                (sp->budget > 0 && res->runs > 0 && now_seconds() - t0 > sp->budget)) {
                res->verdict = SYS_INCOMPLETE;
                done = true;
                break;
            }
            char *schedule = schedule_string(&p, prefix);
            RunOutcome o;
            ChoiceTrace t;
            run_one(&s, schedule, &o, &t);
            res->runs++;
            res->runs_at_bound++;
            char *why = unusable(&o, &t, &p, prefix);
            bool failing = !why && o.report.n > 0;
            if (!why && t.n > res->max_choices)
                res->max_choices = t.n;
            if (!why)
                extend(&p, &t, prefix);
            if (!why && (t.released || t.cut || t.timed) && !inexact)
                inexact = xstrdup(t.released ? "a thread ran outside the schedule (blocked in the kernel)"
                                  : t.timed  ? "a call with a time limit: its timeout is not searched"
                                             : "a run had more choice points than the runtime writes");
            report_take_evidence(&evidence, &o.report);
            choices_free(&t);
            if (why || failing) {
                res->verdict = why ? SYS_UNDECIDED : SYS_FOUND;
                res->why = why;
                free(schedule);
                res->schedule = schedule_string(&p, p.n);
                res->steps = p.n;
                if (o.run_dir)
                    explore_attach_trace(&o, exe);
                for (size_t k = 0; failing && sp->replay && k < o.report.n; k++) {
                    free(o.report.items[k].replay);
                    o.report.items[k].replay = xasprintf(sp->replay, res->schedule);
                }
                if (have)
                    drop_run(&s, &res->run);
                res->run = o;
                have = true;
                done = true;
                break;
            }
            free(schedule);
            if (have)
                drop_run(&s, &res->run);
            res->run = o;
            have = true;
            if (!backtrack(&p, bound, &cut)) {
                res->verdict = inexact ? SYS_INCOMPLETE : cut ? SYS_VERIFIED : SYS_EXHAUSTIVE;
                done = inexact || !cut; /* every schedule ran: no higher bound has more */
                break;
            }
            prefix = p.n;
        }
        path_truncate(&p, 0);
        free(p.v);
    }
    if (res->verdict == SYS_INCOMPLETE && inexact && !res->why)
        res->why = inexact;
    else
        free(inexact);
    if (have)
        report_take_evidence(&res->run.report, &evidence);
    report_free(&evidence);
    res->seconds = now_seconds() - t0;
}

bool systematic_schedule_valid(const char *s)
{
    unsigned long long last = 0;
    bool first = true;
    while (*s) {
        char *end;
        if (*s < '0' || *s > '9')
            return false;
        unsigned long long k = strtoull(s, &end, 10);
        if (*end != ':' || k > 1000000000ULL || (!first && k <= last))
            return false;
        s = end + 1;
        if (*s < '1' || *s > '9')
            return false;
        unsigned long long t = strtoull(s, &end, 10);
        if (t > 1000000 || (*end && *end != ',') || (*end == ',' && !end[1]))
            return false;
        s = *end ? end + 1 : end;
        last = k;
        first = false;
    }
    return true;
}

/* The highest choice point a schedule names, or -1. */
static long long last_point(const char *s)
{
    long long k = -1;
    for (const char *p = s; *p;) {
        k = strtoll(p, NULL, 10);
        const char *c = strchr(p, ',');
        p = c ? c + 1 : p + strlen(p);
    }
    return k;
}

void systematic_replay(const char *exe, const StrVec *args, const RunOptions *opt, const char *schedule,
                       const SourceSet *ss, ExploreOracle oracle, void *ctx, RunOutcome *o)
{
    SystematicSpec sp = {.oracle = oracle, .oracle_ctx = ctx};
    Search s = {exe, args, opt, &sp, ss};
    ChoiceTrace t;
    run_one(&s, schedule, o, &t);
    char *why = NULL;
    long long last = last_point(schedule);
    if (t.malformed)
        why = xstrdup("the runtime did not take it");
    for (size_t i = 0; !why && i < t.n; i++)
        if (t.v[i].diverged)
            why = xasprintf("at choice point %zu it names a thread that could not run there", i);
    if (!why && last >= 0 && (size_t)last >= t.n && !t.cut)
        why = xasprintf("it names choice point %lld; the run had %zu", last, t.n);
    choices_free(&t);
    if (o->run_dir)
        explore_attach_trace(o, exe);
    if (why)
        run_fail(o, RUN_ERROR, "the schedule '%s' was not followed (%s): the program is not the one it was made for, "
                 "or it depends on more than the schedule", schedule, why);
    free(why);
}

char *systematic_verdict_text(const SystematicResult *res, bool atomics)
{
    const char *sc = atomics ? ", sequential consistency assumed for C11 atomics" : "";
    /* what a schedule of the search is not (docs/explore.md) */
    const char *caveat = "a signalled condition wakes its first waiter; no switch inside a libc call";
    switch (res->verdict) {
    case SYS_FOUND:
        return xasprintf("found with %d preemption%s (the fewest: none fewer shows it), schedule '%s' of %zu choice "
                         "points, %d schedules run",
                         res->bound, res->bound == 1 ? "" : "s", res->schedule, res->steps, res->runs);
    case SYS_EXHAUSTIVE:
        return xasprintf("verified: every schedule at these inputs (%d run%s; %s)", res->runs_at_bound, sc, caveat);
    case SYS_VERIFIED:
        return xasprintf("verified: every schedule with <= %d preemption%s at these inputs (%d run%s; %s)", res->bound,
                         res->bound == 1 ? "" : "s", res->runs_at_bound, sc, caveat);
    case SYS_INCOMPLETE:
        return xasprintf("not complete: %d schedules of bound %d run before the %s%s%s", res->runs_at_bound,
                         res->bound, res->why ? "search was cut" : "budget ended", res->why ? ": " : "",
                         res->why ? res->why : "");
    default:
        return xasprintf("undecided: %s", res->why ? res->why : "?");
    }
}

void systematic_result_free(SystematicResult *res)
{
    run_outcome_free(&res->run);
    free(res->schedule);
    free(res->why);
    memset(res, 0, sizeof *res);
}
