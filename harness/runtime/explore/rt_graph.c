/* The lock graph: for each lock a thread takes while holding others, an
 * edge held -> taken, with the thread, both lines and the other locks it
 * held (its possible gate locks). A cycle is reported only if it could
 * deadlock: its edges come from different threads, no lock is held at
 * every edge (a common gate lock keeps the threads from being inside the
 * cycle at once), and no edge was made by a trylock (which cannot block).
 * Cycles are looked for when an edge is new, and written at once, so a
 * program that ends with _exit loses nothing. */
#include "rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CYCLE 6    /* locks in a cycle searched for */
#define MAX_VARIANTS 8 /* edge instances kept per pair of locks */
#define MAX_GATES 8    /* other locks remembered per instance */

typedef struct {
    int tid;
    uintptr_t held_pc, pc;
    Obj *gates[MAX_GATES];
    int ngates; /* -1: more than MAX_GATES (then no gate is assumed) */
} Variant;

typedef struct Edge {
    Obj *from, *to;
    Variant v[MAX_VARIANTS];
    int n;
    struct Edge *next; /* in from's list */
} Edge;

static void oom(void)
{
    rt_write("note out of memory in the explore runtime");
    _exit(EXPLORE_EXIT_STUCK);
}

static Edge *find_edge(Obj *from, Obj *to)
{
    for (Edge *e = from->out; e; e = e->next)
        if (e->to == to)
            return e;
    return NULL;
}

static bool same_gates(const Variant *a, const Variant *b)
{
    if (a->ngates != b->ngates)
        return false;
    for (int i = 0; i < a->ngates; i++)
        if (a->gates[i] != b->gates[i])
            return false;
    return true;
}

/* ---- cycles ---- */

typedef struct {
    Edge *path[MAX_CYCLE];
    int len;
    uint64_t reported[64]; /* hashes of cycles written already */
    int nreported;
} Search;

static Search search;

static bool gate_common(const Variant *const *v, int n, Edge *const *path)
{
    if (v[0]->ngates < 0)
        return false;
    for (int g = 0; g < v[0]->ngates; g++) {
        Obj *gate = v[0]->gates[g];
        bool in_cycle = false;
        for (int k = 0; k < n; k++)
            in_cycle = in_cycle || path[k]->from == gate || path[k]->to == gate;
        if (in_cycle)
            continue;
        bool everywhere = true;
        for (int k = 1; k < n && everywhere; k++) {
            bool has = false;
            for (int j = 0; v[k]->ngates >= 0 && j < v[k]->ngates; j++)
                has = has || v[k]->gates[j] == gate;
            everywhere = has;
        }
        if (everywhere)
            return true;
    }
    return false;
}

/* Chooses one variant per edge: different threads, no common gate. */
static bool choose(Edge *const *path, int n, int k, const Variant **pick)
{
    if (k == n)
        return !gate_common(pick, n, path);
    for (int i = 0; i < path[k]->n; i++) {
        const Variant *v = &path[k]->v[i];
        bool dup = false;
        for (int j = 0; j < k; j++)
            dup = dup || pick[j]->tid == v->tid;
        if (dup)
            continue;
        pick[k] = v;
        if (choose(path, n, k + 1, pick))
            return true;
    }
    return false;
}

static uint64_t cycle_hash(Edge *const *path, int n)
{
    uint64_t h = 0;
    for (int i = 0; i < n; i++) /* order-free: a cycle has no first edge */
        h += ((uint64_t)(uintptr_t)path[i]->from * 0x9e3779b97f4a7c15ULL) ^ (uint64_t)(uintptr_t)path[i]->to;
    return h;
}

static void report_cycle(Edge *const *path, int n, const Variant *const *pick)
{
    uint64_t h = cycle_hash(path, n);
    for (int i = 0; i < search.nreported; i++)
        if (search.reported[i] == h)
            return;
    if (search.nreported < (int)(sizeof search.reported / sizeof search.reported[0]))
        search.reported[search.nreported++] = h;
    rt_write("finding lock-cycle");
    for (int i = 0; i < n; i++) {
        char from[32], to[32], hpc[40], pc[40];
        rt_obj_name(path[i]->from, from, sizeof from);
        rt_obj_name(path[i]->to, to, sizeof to);
        rt_pcref(pick[i]->held_pc, hpc, sizeof hpc);
        rt_pcref(pick[i]->pc, pc, sizeof pc);
        rt_writef("edge T%d %s %s %s %s", pick[i]->tid, from, hpc, to, pc);
    }
    rt_write("endfinding");
}

/* Paths from `at` back to the new edge's start close a cycle. */
static void walk(Obj *start, Obj *at)
{
    if (search.len >= MAX_CYCLE)
        return;
    for (Edge *e = at->out; e; e = e->next) {
        bool seen = false;
        for (int i = 0; i < search.len; i++)
            seen = seen || search.path[i]->from == e->to;
        if (seen && e->to != start)
            continue;
        search.path[search.len++] = e;
        if (e->to == start) {
            const Variant *pick[MAX_CYCLE];
            if (choose(search.path, search.len, 0, pick))
                report_cycle(search.path, search.len, pick);
        } else {
            walk(start, e->to);
        }
        search.len--;
    }
}

static void add_edge(Thr *self, const Held *held, Obj *to, uintptr_t pc)
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
    Variant v = {.tid = self->id, .held_pc = held->pc, .pc = pc};
    for (size_t i = 0; i < self->nheld; i++) {
        if (&self->held[i] == held || self->held[i].obj == to)
            continue;
        if (v.ngates == MAX_GATES) {
            v.ngates = -1;
            break;
        }
        v.gates[v.ngates++] = self->held[i].obj;
    }
    for (int i = 0; i < e->n; i++)
        if (e->v[i].tid == v.tid && same_gates(&e->v[i], &v))
            return; /* nothing new */
    if (e->n == MAX_VARIANTS)
        return;
    e->v[e->n++] = v;
    search.len = 0;
    search.path[search.len++] = e;
    walk(e->from, e->to);
    search.len = 0;
}

void rt_acquired(Thr *self, Obj *o, uintptr_t pc, bool write, bool tried)
{
    if (!tried)
        for (size_t i = 0; i < self->nheld; i++)
            if (self->held[i].obj != o)
                add_edge(self, &self->held[i], o, pc);
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
