#include "toollimits.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "text.h"

#define SOURCE_MAX (16u << 20)

static const char *const why_once =
    "Helgrind does not see the ordering pthread_once() gives (the initialiser finishes before any "
    "caller returns), so lazy initialisation through it reads as a race; a pthread_once frame is on this stack, "
    "explore saw these accesses ordered by happens-before in every schedule it ran (never unordered), and TSan "
    "reports no race here";
static const char *const why_atomics =
    "Helgrind and DRD do not understand C11/C++ acquire/release ordering on plain data (Valgrind's "
    "manual), and this program uses atomics; explore, which follows them, saw these accesses ordered by "
    "happens-before in every schedule it ran (never unordered), and TSan reports no race here";
static const char *const why_atomic_op =
    "these accesses are C11/C++ atomic operations (explore saw an atomic operation at each of these lines, and "
    "no plain access there unordered with another), which cannot race; Helgrind and DRD see them as plain "
    "loads and stores";
static const char *const why_trylock =
    "Helgrind counts a trylock as an acquisition that could block, so taking locks in the other "
    "order with trylock and backing off reads as a lock-order violation; explore's lock graph saw this cycle, "
    "and every instance of it has a trylock edge (which cannot block) or a common gate lock, in every schedule "
    "it ran";
static const char *const why_signal =
    "a condition variable signalled after its mutex was released; POSIX allows it (a waiter "
    "re-checks its predicate under the mutex), and a race on the data it guards is a finding of its own";
static const char *const why_gate =
    "TSan and Helgrind count a cycle in the lock order even when every acquisition of it is made under "
    "one common lock held exclusively (a gate lock) or by trylock, which cannot deadlock; explore's lock graph "
    "saw this cycle with a gate or a trylock at every instance, found no cycle that could deadlock in any "
    "schedule it ran, and its search was complete";

static bool is_race(const Finding *f)
{
    return finding_category(f) == CAT_RACE;
}

static bool has_frame(const Finding *f, const char *fn_prefix)
{
    for (size_t s = 0; s < f->nstacks; s++)
        for (size_t k = 0; k < f->stacks[s].n; k++)
            if (f->stacks[s].frames[k].fn && starts_with(f->stacks[s].frames[k].fn, fn_prefix))
                return true;
    return false;
}

static bool same_line(const Frame *a, const Frame *b)
{
    return a && b && a->line > 0 && a->line == b->line && a->file && b->file &&
           !strcmp(path_base(a->file), path_base(b->file));
}

/* Whether one of f's locations is at fr's line. */
static bool at_line(const Finding *f, const Frame *fr, const SourceSet *ss)
{
    for (LocIter i = LOC_ITER(f, ss); loc_next(&i);)
        if (same_line(i.frame, fr))
            return true;
    return false;
}

/* Whether a and b share a location: the same line of the same file. */
static bool share_location(const Finding *a, const Finding *b, const SourceSet *ss)
{
    for (LocIter i = LOC_ITER(a, ss); loc_next(&i);)
        if (i.frame && at_line(b, i.frame, ss))
            return true;
    return false;
}

/* Whether every location of f (one at least) is at a line of e. */
static bool covers(const Finding *e, const Finding *f, const SourceSet *ss)
{
    size_t n = 0;
    for (LocIter i = LOC_ITER(f, ss); loc_next(&i);) {
        if (!i.frame || i.frame->line <= 0 || !at_line(e, i.frame, ss))
            return false;
        n++;
    }
    return n > 0;
}

/* The same variable: "table" and "table+8" are one global; unknown is
 * never the same. */
static bool same_var(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t la = strcspn(a, "+["), lb = strcspn(b, "+[");
    return la && la == lb && !strncmp(a, b, la);
}

/* Whether TSan reports a finding of category cat where f is. */
static bool tsan_confirms(const Finding *f, Category cat, const LimitContext *cx)
{
    const Report *t = cx->decided[TOOL_TSAN];
    for (size_t i = 0; t && i < t->n; i++)
        if (finding_category(&t->items[i]) == cat && share_location(&t->items[i], f, cx->ss))
            return true;
    return false;
}

/* explore ran and decided, its evidence is whole, and (for a lock order)
 * no schedule showed a cycle that could deadlock or a deadlock. */
static const Report *explore_evidence(const LimitContext *cx, bool lock_order)
{
    const Report *r = cx->decided[TOOL_EXPLORE];
    if (!r || r->incomplete)
        return NULL;
    for (size_t i = 0; lock_order && i < r->n; i++) {
        Category c = finding_category(&r->items[i]);
        if (c == CAT_LOCK_ORDER || c == CAT_DEADLOCK)
            return NULL;
    }
    return r;
}

/* Explore saw f's accesses ordered by happens-before, and never saw any
 * access at f's lines unordered with another. */
static bool ordered_everywhere(const Finding *f, const LimitContext *cx, bool once)
{
    const Report *r = explore_evidence(cx, false);
    /* one location: a variable the finding names must be the evidence's
     * (DRD names none: its line alone ties it) */
    bool need_var = finding_nlocations(f) < 2 && f->var && !once;
    bool ordered = false;
    for (size_t i = 0; r && i < r->nevidence; i++) {
        const Finding *e = &r->evidence[i];
        if (!strcmp(e->kind, "unordered") && share_location(e, f, cx->ss))
            return false;
        bool var_ok = same_var(e->var, f->var) || (!need_var && (!e->var || !f->var));
        ordered = ordered || (!strcmp(e->kind, "ordered") && covers(e, f, cx->ss) && var_ok);
    }
    return ordered;
}

/* Every location of f is a line where explore saw an atomic operation,
 * and no plain access at f's lines unordered. */
static bool atomic_operations(const Finding *f, const LimitContext *cx)
{
    const Report *r = explore_evidence(cx, false);
    size_t n = 0;
    for (LocIter i = LOC_ITER(f, cx->ss); r && loc_next(&i); n++) {
        /* an atomic operation at that line, on the finding's variable when
         * it names one; when it names none (DRD), on a line where explore
         * saw no plain access at all */
        bool atomic = false, plain = false;
        for (size_t k = 0; i.frame && k < r->nevidence; k++) {
            const Finding *e = &r->evidence[k];
            if (!at_line(e, i.frame, cx->ss))
                continue;
            if (!strcmp(e->kind, "atomic"))
                atomic = atomic || (f->var ? same_var(e->var, f->var) : true);
            else if (!strcmp(e->kind, "ordered") || !strcmp(e->kind, "unordered"))
                plain = true;
        }
        if (!f->var && plain)
            return false;
        if (!atomic)
            return false;
    }
    for (size_t k = 0; r && k < r->nevidence; k++)
        if (!strcmp(r->evidence[k].kind, "unordered") && share_location(&r->evidence[k], f, cx->ss))
            return false;
    return r && n > 0;
}

/* The gated cycle of explore's that covers f's acquisitions, or NULL. */
static const Finding *gated_cycle(const Finding *f, const LimitContext *cx)
{
    const Report *r = explore_evidence(cx, true);
    for (size_t i = 0; r && i < r->nevidence; i++)
        if (!strcmp(r->evidence[i].kind, "gated-cycle") && covers(&r->evidence[i], f, cx->ss))
            return &r->evidence[i];
    return NULL;
}

static bool has_trylock_edge(const Finding *e)
{
    for (size_t s = 0; s < e->nstacks; s++)
        if (e->stacks[s].title && !strcmp(e->stacks[s].title, "trylock"))
            return true;
    return false;
}

const char *finding_limitation(const Finding *f, const LimitContext *cx)
{
    /* TSan must have run and decided: its silence is no evidence, but its
     * report at these lines is a veto */
    if ((f->tool == TOOL_HELGRIND || f->tool == TOOL_DRD) && is_race(f) && cx->decided[TOOL_TSAN] &&
        !tsan_confirms(f, CAT_RACE, cx)) {
        bool once = f->tool == TOOL_HELGRIND && has_frame(f, "__pthread_once");
        if ((once || cx->atomics) && ordered_everywhere(f, cx, once))
            return once ? why_once : why_atomics;
        if (cx->atomics && atomic_operations(f, cx))
            return why_atomic_op;
    }
    if (finding_category(f) == CAT_LOCK_ORDER && (f->tool == TOOL_TSAN || f->tool == TOOL_HELGRIND)) {
        const Finding *e = gated_cycle(f, cx);
        if (e)
            return f->tool == TOOL_HELGRIND && has_trylock_edge(e) ? why_trylock : why_gate;
    }
    if ((f->tool == TOOL_HELGRIND && !strcmp(f->kind, "Misc") && f->message &&
         strstr(f->message, "pthread_cond_{signal,broadcast}: dubious: associated lock is not held")) ||
        (f->tool == TOOL_DRD && !strcmp(f->kind, "CondRaceErr")))
        return why_signal;
    return NULL;
}

bool sources_use_atomics(const SourceSet *ss)
{
    static const char *const marks[] = {"stdatomic.h", "_Atomic", "std::atomic", "<atomic>",
                                        "__atomic_",   "__sync_", "atomic_load", "atomic_store"};
    bool yes = false;
    for (size_t i = 0; ss && i < ss->n && !yes; i++) {
        char *text = read_file(ss->paths[i], SOURCE_MAX, NULL, NULL);
        for (size_t k = 0; text && k < ARRAY_LEN(marks) && !yes; k++)
            yes = strstr(text, marks[k]) != NULL;
        free(text);
    }
    return yes;
}
