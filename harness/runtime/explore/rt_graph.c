/* The lock graph: for each lock a thread takes while holding others, an
 * edge held -> taken, with the thread, both lines, whether it was a
 * trylock, and the other locks it held exclusively (its possible gate
 * locks: a lock held for reading gates nothing, other readers pass). A
 * cycle is reported only if it could deadlock: one instance per edge from
 * different threads, none made by a trylock (which cannot block), and no
 * lock held exclusively at every one of them (a common gate lock keeps
 * the threads from being inside the cycle at once). A cycle that every
 * such choice rules out is written as evidence (`gated-cycle`): the
 * harness dismisses another tool's lock-order report only on it.
 *
 * Nothing is capped silently: cycles of any length, any number of
 * instances per edge and gates per instance. The search has a step
 * budget per new edge; when it runs out the runtime says so (`note
 * lock-graph incomplete`) and the harness treats the graph as undecided.
 * Cycles are looked for when an edge is new, and written at once, so a
 * program that ends with _exit loses nothing. */
#include "rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Steps (edges followed, instances tried) per new edge. */
#define SEARCH_BUDGET 200000L
/* Locks on one path at most (the search recurses on the thread's stack). */
#define SEARCH_DEPTH 4096

typedef struct {
    int tid;
    bool tried; /* taken by a trylock: cannot block */
    uintptr_t held_pc, pc;
    Obj **gates; /* other locks held exclusively, sorted by address */
    int ngates;
} Variant;

typedef struct Edge {
    Obj *from, *to;
    Variant *v;
    int n, cap;
    struct Edge *next; /* in from's list */
} Edge;

static void oom(void)
{
    rt_write("note out of memory in the explore runtime");
    _exit(EXPLORE_EXIT_STUCK);
}

static void *grow(void *p, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return p;
    int c = *cap ? *cap * 2 : 8;
    while (c < need)
        c *= 2;
    void *q = realloc(p, (size_t)c * size);
    if (!q)
        oom();
    *cap = c;
    return q;
}

static Edge *find_edge(Obj *from, Obj *to)
{
    for (Edge *e = from->out; e; e = e->next)
        if (e->to == to)
            return e;
    return NULL;
}

static bool same_variant(const Variant *a, const Variant *b)
{
    if (a->tid != b->tid || a->tried != b->tried || a->ngates != b->ngates)
        return false;
    for (int i = 0; i < a->ngates; i++)
        if (a->gates[i] != b->gates[i])
            return false;
    return true;
}

static bool has_gate(const Variant *v, const Obj *g)
{
    for (int i = 0; i < v->ngates; i++)
        if (v->gates[i] == g)
            return true;
    return false;
}

/* ---- cycles ---- */

typedef struct {
    Edge **path;
    int len, cap;
    const Variant **pick;
    int pick_cap;
    long steps; /* left in this search */
    bool cut;   /* the budget ran out */
    uint64_t *reported; /* hashes of cycles written already */
    int nreported, reported_cap;
} Search;

static Search search;
static bool incomplete_said;

static bool spend(void)
{
    if (search.steps-- > 0)
        return true;
    search.cut = true;
    return false;
}

/* A lock held exclusively at every chosen instance, outside the cycle. */
static bool gate_common(int n)
{
    const Variant *v0 = search.pick[0];
    for (int g = 0; g < v0->ngates; g++) {
        Obj *gate = v0->gates[g];
        bool in_cycle = false;
        for (int k = 0; k < n && !in_cycle; k++)
            in_cycle = search.path[k]->from == gate || search.path[k]->to == gate;
        bool everywhere = !in_cycle;
        for (int k = 1; k < n && everywhere; k++)
            everywhere = has_gate(search.pick[k], gate);
        if (everywhere)
            return true;
    }
    return false;
}

typedef enum { CY_ONE_THREAD, CY_GATED, CY_DEADLOCK } CycleKind;

/* Chooses one instance per edge from different threads; the best kind
 * of cycle any choice gives (CY_DEADLOCK: one that can deadlock, now in
 * search.pick). */
static CycleKind choose(int n, int k)
{
    if (k == n)
        return gate_common(n) ? CY_GATED : CY_DEADLOCK;
    CycleKind best = CY_ONE_THREAD;
    Edge *e = search.path[k];
    for (int i = 0; i < e->n && spend(); i++) {
        const Variant *v = &e->v[i];
        bool dup = false;
        for (int j = 0; j < k && !dup; j++)
            dup = search.pick[j]->tid == v->tid;
        if (dup)
            continue;
        search.pick[k] = v;
        CycleKind c = v->tried ? (choose(n, k + 1) == CY_ONE_THREAD ? CY_ONE_THREAD : CY_GATED) : choose(n, k + 1);
        if (c == CY_DEADLOCK)
            return c;
        if (c == CY_GATED)
            best = CY_GATED;
    }
    return best;
}

/* Evidence is written again when an edge of the cycle has new instances. */
static uint64_t cycle_hash(int n, CycleKind kind)
{
    uint64_t h = (uint64_t)kind;
    for (int i = 0; i < n; i++) /* order-free: a cycle has no first edge */
        h += ((uint64_t)(uintptr_t)search.path[i]->from * 0x9e3779b97f4a7c15ULL) ^
             (uint64_t)(uintptr_t)search.path[i]->to ^
             (kind == CY_GATED ? (uint64_t)search.path[i]->n << 48 : 0);
    return h;
}

static bool first_time(uint64_t h)
{
    for (int i = 0; i < search.nreported; i++)
        if (search.reported[i] == h)
            return false;
    search.reported = grow(search.reported, &search.reported_cap, search.nreported + 1, sizeof *search.reported);
    search.reported[search.nreported++] = h;
    return true;
}

static void write_edge(const Edge *e, const Variant *v)
{
    char from[32], to[32], hpc[40], pc[40];
    rt_obj_name(e->from, from, sizeof from);
    rt_obj_name(e->to, to, sizeof to);
    rt_pcref(v->held_pc, hpc, sizeof hpc);
    rt_pcref(v->pc, pc, sizeof pc);
    rt_writef("edge T%d %s %s %s %s%s", v->tid, from, hpc, to, pc, v->tried ? " trylock" : "");
}

static void report_cycle(int n, CycleKind kind)
{
    if (!first_time(cycle_hash(n, kind)))
        return;
    if (kind == CY_DEADLOCK) {
        rt_write("finding lock-cycle");
        for (int i = 0; i < n; i++)
            write_edge(search.path[i], search.pick[i]);
        rt_write("endfinding");
        return;
    }
    /* every instance of every edge: the lines another tool may name */
    rt_write("evidence gated-cycle");
    for (int i = 0; i < n; i++)
        for (int k = 0; k < search.path[i]->n; k++)
            write_edge(search.path[i], &search.path[i]->v[k]);
    rt_write("endevidence");
}

static unsigned search_gen;
static Obj **todo;
static int todo_cap;

/* Whether `goal` can be reached from `at` along the graph's edges: only
 * then can an edge goal -> at close a cycle. Each lock is visited once. */
static bool reaches(Obj *at, Obj *goal)
{
    unsigned gen = ++search_gen;
    int n = 0;
    todo = grow(todo, &todo_cap, 1, sizeof *todo);
    todo[n++] = at;
    at->mark = gen;
    while (n) {
        Obj *o = todo[--n];
        if (o == goal)
            return true;
        for (Edge *e = o->out; e; e = e->next) {
            if (e->to->mark == gen)
                continue;
            e->to->mark = gen;
            todo = grow(todo, &todo_cap, n + 1, sizeof *todo);
            todo[n++] = e->to;
        }
    }
    return false;
}

/* Every simple path from the new edge's end back to its start closes a
 * cycle: a depth-first walk with its own stack (a chain of thousands of
 * locks must not overflow the program's thread stack). */
static void walk(Obj *start)
{
    static Edge **next; /* per depth: the next edge to try */
    static int next_cap;
    next = grow(next, &next_cap, 1, sizeof *next);
    start->on_path = true;
    search.path[0]->to->on_path = true;
    next[0] = search.path[0]->to->out;
    int depth = 0; /* search.len == depth + 1 */
    while (depth >= 0) {
        Edge *e = next[depth];
        if (!e || !spend()) {
            if (!e) {
                search.path[depth]->to->on_path = false;
                search.len--;
                depth--;
                continue;
            }
            break; /* the budget ran out */
        }
        next[depth] = e->next;
        if (e->to == start) {
            search.path = grow(search.path, &search.cap, search.len + 1, sizeof *search.path);
            search.path[search.len++] = e;
            search.pick = grow(search.pick, &search.pick_cap, search.len, sizeof *search.pick);
            CycleKind kind = choose(search.len, 0);
            if (kind != CY_ONE_THREAD && !search.cut)
                report_cycle(search.len, kind);
            search.len--;
        } else if (!e->to->on_path) {
            if (search.len >= SEARCH_DEPTH) {
                search.cut = true;
                continue;
            }
            search.path = grow(search.path, &search.cap, search.len + 1, sizeof *search.path);
            search.path[search.len++] = e;
            e->to->on_path = true;
            depth++;
            next = grow(next, &next_cap, depth + 1, sizeof *next);
            next[depth] = e->to->out;
        }
    }
    /* cut short: what is still marked goes back */
    for (int i = 0; i < search.len; i++)
        search.path[i]->to->on_path = false;
    start->on_path = false;
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (Obj *const *)a, y = (uintptr_t) * (Obj *const *)b;
    return x < y ? -1 : x > y;
}

static void add_edge(Thr *self, const Held *held, Obj *to, uintptr_t pc, bool tried)
{
    Edge *e = find_edge(held->obj, to);
    if (!e) {
        e = calloc(1, sizeof *e);
        if (!e)
            oom();
        e->from = held->obj;
        e->to = to;
        e->next = held->obj->out;
        held->obj->out = e;
    }
    Variant v = {.tid = self->id, .tried = tried, .held_pc = held->pc, .pc = pc};
    int cap = 0;
    for (size_t i = 0; i < self->nheld; i++) {
        if (&self->held[i] == held || self->held[i].obj == to || !self->held[i].write)
            continue;
        v.gates = grow(v.gates, &cap, v.ngates + 1, sizeof *v.gates);
        v.gates[v.ngates++] = self->held[i].obj;
    }
    if (v.ngates > 1)
        qsort(v.gates, (size_t)v.ngates, sizeof *v.gates, by_address);
    for (int i = 0; i < e->n; i++) {
        if (same_variant(&e->v[i], &v)) {
            free(v.gates);
            return; /* nothing new */
        }
    }
    e->v = grow(e->v, &e->cap, e->n + 1, sizeof *e->v);
    e->v[e->n++] = v;
    search.len = 0;
    search.steps = SEARCH_BUDGET;
    search.cut = false;
    search.path = grow(search.path, &search.cap, 1, sizeof *search.path);
    search.path[search.len++] = e;
    if (e->from == e->to || reaches(e->to, e->from))
        walk(e->from);
    search.len = 0;
    if (search.cut && !incomplete_said) {
        incomplete_said = true;
        rt_writef("note lock-graph incomplete: the cycle search ran out of its budget of %ld steps", SEARCH_BUDGET);
    }
}

void rt_acquired(Thr *self, Obj *o, uintptr_t pc, bool write, bool tried)
{
    rt_hb_acquire(self, o, write);
    for (size_t i = 0; i < self->nheld; i++)
        if (self->held[i].obj != o)
            add_edge(self, &self->held[i], o, pc, tried);
    if (self->nheld == self->held_cap) {
        size_t cap = self->held_cap ? self->held_cap * 2 : 8;
        Held *h = realloc(self->held, cap * sizeof *h);
        if (!h)
            oom();
        self->held = h;
        self->held_cap = cap;
    }
    self->held[self->nheld++] = (Held){o, pc, write};
}

void rt_released(Thr *self, Obj *o)
{
    for (size_t i = self->nheld; i-- > 0;) {
        if (self->held[i].obj == o) {
            rt_hb_release(self, o, self->held[i].write);
            memmove(&self->held[i], &self->held[i + 1], (self->nheld - i - 1) * sizeof *self->held);
            self->nheld--;
            return;
        }
    }
}

bool rt_holds(Thr *self, Obj *o, bool *write)
{
    for (size_t i = self->nheld; i-- > 0;) {
        if (self->held[i].obj == o) {
            if (write)
                *write = self->held[i].write;
            return true;
        }
    }
    return false;
}
