#include "toollimits.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "text.h"

#define SOURCE_MAX (16u << 20)

static const char *const why_once =
    "Helgrind does not see the ordering pthread_once() gives (the initialiser finishes before any "
    "caller returns), so lazy initialisation through it reads as a race; a pthread_once frame is on this stack, and "
    "no tool that understands pthread_once (TSan) reports a race here";
static const char *const why_atomics =
    "Helgrind and DRD do not understand C11/C++ acquire/release ordering on plain data (Valgrind's "
    "manual), and this program uses atomics; TSan, which does, ran on it and reports no race at these lines";
static const char *const why_trylock =
    "Helgrind counts a trylock as an acquisition that could block, so taking locks in the other "
    "order with trylock and backing off reads as a lock-order violation; it cannot deadlock (the acquisition here is "
    "a trylock), and TSan, which handles trylock, reports no lock-order inversion here";
static const char *const why_signal =
    "a condition variable signalled after its mutex was released; POSIX allows it (a waiter "
    "re-checks its predicate under the mutex), and no tool reports a race on the data it guards";

static const char *const why_gate =
    "TSan and Helgrind count a cycle in the lock order even when every acquisition of it is made under "
    "one common lock (a gate lock) or by trylock, which cannot deadlock; explore, whose lock graph knows both, ran "
    "this program and found no cycle that could deadlock";

static bool is_race(const Finding *f)
{
    return finding_category(f) == CAT_RACE;
}

/* The line `line` of `file`, or NULL. */
static char *source_line(const char *file, int line)
{
    if (!file || line <= 0)
        return NULL;
    char *text = read_file(file, SOURCE_MAX, NULL, NULL);
    if (!text)
        return NULL;
    const char *pos = text, *l;
    size_t len;
    char *found = NULL;
    for (int n = 1; next_line(&pos, &l, &len); n++) {
        if (n == line) {
            found = xstrndup(l, len);
            break;
        }
    }
    free(text);
    return found;
}

static bool has_frame(const Finding *f, const char *fn_prefix)
{
    for (size_t s = 0; s < f->nstacks; s++)
        for (size_t k = 0; k < f->stacks[s].n; k++)
            if (f->stacks[s].frames[k].fn && starts_with(f->stacks[s].frames[k].fn, fn_prefix))
                return true;
    return false;
}

/* Whether a and b share a location: the same line of the same file. */
static bool share_location(const Finding *a, const Finding *b, const SourceSet *ss)
{
    for (LocIter i = LOC_ITER(a, ss); loc_next(&i);) {
        if (!i.frame || i.frame->line <= 0)
            continue;
        for (LocIter k = LOC_ITER(b, ss); loc_next(&k);) {
            if (k.frame && k.frame->line == i.frame->line && i.frame->file && k.frame->file &&
                !strcmp(path_base(i.frame->file), path_base(k.frame->file)))
                return true;
        }
    }
    return false;
}

/* Whether TSan (which understands atomics, pthread_once and trylock)
 * reports a finding of category cat where f is. */
static bool tsan_confirms(const Finding *f, Category cat, const LimitContext *cx)
{
    const Report *t = cx->decided[TOOL_TSAN];
    for (size_t i = 0; t && i < t->n; i++)
        if (finding_category(&t->items[i]) == cat && share_location(&t->items[i], f, cx->ss))
            return true;
    return false;
}

static bool acquisition_is_trylock(const Finding *f, const SourceSet *ss)
{
    LocIter it = LOC_ITER(f, ss);
    if (!loc_next(&it) || !it.frame)
        return false;
    char *line = source_line(it.frame->file, it.frame->line);
    bool yes = line && strstr(line, "trylock");
    free(line);
    return yes;
}

/* explore ran, decided, and its lock graph holds no cycle that could
 * deadlock (nor did any schedule hang). */
static bool explore_clean(const LimitContext *cx)
{
    const Report *r = cx->decided[TOOL_EXPLORE];
    if (!r)
        return false;
    for (size_t i = 0; i < r->n; i++) {
        Category c = finding_category(&r->items[i]);
        if (c == CAT_LOCK_ORDER || c == CAT_DEADLOCK)
            return false;
    }
    return true;
}

const char *finding_limitation(const Finding *f, const LimitContext *cx)
{
    bool valgrind_race = (f->tool == TOOL_HELGRIND || f->tool == TOOL_DRD) && is_race(f);
    if (f->tool == TOOL_HELGRIND && is_race(f) && has_frame(f, "__pthread_once") && !tsan_confirms(f, CAT_RACE, cx))
        return why_once;
    /* The atomics rule needs TSan's word: a program with atomics may race
     * on plain data too, and only TSan tells the two apart. */
    if (valgrind_race && cx->atomics && cx->decided[TOOL_TSAN] && !tsan_confirms(f, CAT_RACE, cx))
        return why_atomics;
    if (f->tool == TOOL_HELGRIND && !strcmp(f->kind, "LockOrder") && acquisition_is_trylock(f, cx->ss) &&
        !tsan_confirms(f, CAT_LOCK_ORDER, cx))
        return why_trylock;
    if ((finding_category(f) == CAT_LOCK_ORDER) && (f->tool == TOOL_TSAN || f->tool == TOOL_HELGRIND) &&
        explore_clean(cx))
        return why_gate;
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
