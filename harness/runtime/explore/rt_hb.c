/* Happens-before, as evidence: vector clocks for the threads and for the
 * objects they synchronise through (locks, atomics by their memory
 * order, thread start and join, semaphores, pthread_once), and for each
 * word of memory the last write and the reads since. When an access
 * conflicts with an earlier one by another thread, the pair of lines is
 * written once as `evidence ordered` (happens-before holds: a lock, an
 * acquire/release pair, a join orders them) or `evidence unordered`. The
 * harness dismisses Helgrind's or DRD's race only when every schedule
 * explore ran saw the pair ordered and none unordered. Each line where an
 * atomic operation runs is written once as `evidence atomic`: two atomic
 * operations never race, though Helgrind and DRD see plain accesses.
 *
 * It errs towards "unordered": a synchronisation it does not model
 * (fences, barriers, condition signals without a lock, the kernel) adds
 * no order, and what it cannot follow (a thread run freely, a table
 * full) is said (`note hb incomplete: ...`) so nothing is dismissed. */
#include "rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHADOW_MAX (1u << 20) /* words of memory followed */
#define SHADOW_FIRST (1u << 12) /* the table's first size: it doubles as it fills */
#define SYNC_MAX (1u << 16)   /* objects synchronised through */
#define PAIRS_MAX 4096u       /* pairs of lines written */
#define READERS 8             /* reads kept per word since its last write */

typedef struct {
    uint32_t *c;
    int n; /* entries: thread ids 1..n-1 */
} Clock;

typedef struct {
    int tid;
    uint32_t clk;
    uintptr_t pc;
} Epoch;

typedef struct {
    uintptr_t addr; /* 0: empty */
    Epoch w, r[READERS];
} Shadow;

typedef struct {
    uintptr_t key; /* 0: empty */
    Clock vc;
} Sync;

typedef struct {
    uintptr_t a, b; /* pcs, a <= b */
    int kind;       /* 0 unordered, 1 ordered, 2 an atomic operation (a == b) */
    bool used;
} Pair;

static Clock *threads; /* by thread id */
static int nthreads;
static Shadow *shadow;
static unsigned nshadow, shadow_cap;
static Sync *syncs;
static unsigned nsyncs;
static Pair pairs[PAIRS_MAX * 2];
static unsigned npairs;
static atomic_flag busy = ATOMIC_FLAG_INIT;
static bool off; /* incomplete: said once, and nothing more is followed */

static void incomplete(const char *why)
{
    if (off)
        return;
    off = true;
    rt_writef("note hb incomplete: %s", why);
}

static bool graph_said;

void rt_evidence_incomplete(const char *why)
{
    incomplete(why);
    if (!graph_said) {
        graph_said = true;
        rt_writef("note lock-graph incomplete: %s", why);
    }
}

void rt_timed_call(void)
{
    static bool said;
    if (ctl.systematic && !said) {
        said = true; /* a search that never takes the timeout path proves nothing about it */
        rt_write("note choices timed: a call with a time limit; its timeout is not a choice the search makes");
    }
    rt_evidence_incomplete("a call with a time limit (no time passes under explore: another run may time out "
                           "where no schedule did)");
}

static bool clock_fit(Clock *c, int n)
{
    if (c->n >= n)
        return true;
    uint32_t *p = realloc(c->c, (size_t)n * sizeof *p);
    if (!p) {
        incomplete("out of memory");
        return false;
    }
    memset(p + c->n, 0, (size_t)(n - c->n) * sizeof *p);
    c->c = p;
    c->n = n;
    return true;
}

static void clock_join(Clock *into, const Clock *from)
{
    if (!clock_fit(into, from->n))
        return;
    for (int i = 0; i < from->n; i++)
        if (from->c[i] > into->c[i])
            into->c[i] = from->c[i];
}

static Clock *thread_clock(const Thr *t)
{
    if (t->id >= nthreads) {
        int n = t->id + 8;
        Clock *p = realloc(threads, (size_t)n * sizeof *p);
        if (!p) {
            incomplete("out of memory");
            return NULL;
        }
        memset(p + nthreads, 0, (size_t)(n - nthreads) * sizeof *p);
        threads = p;
        nthreads = n;
    }
    Clock *c = &threads[t->id];
    if (!clock_fit(c, t->id + 1))
        return NULL;
    if (!c->c[t->id])
        c->c[t->id] = 1;
    return c;
}

static uint64_t mix(uintptr_t x)
{
    uint64_t h = (uint64_t)x * 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
}

static Sync *sync_of(uintptr_t key, bool make)
{
    if (!syncs) {
        syncs = calloc(SYNC_MAX, sizeof *syncs);
        if (!syncs) {
            incomplete("out of memory");
            return NULL;
        }
    }
    for (unsigned i = (unsigned)mix(key) & (SYNC_MAX - 1), k = 0; k < SYNC_MAX; k++, i = (i + 1) & (SYNC_MAX - 1)) {
        if (syncs[i].key == key)
            return &syncs[i];
        if (!syncs[i].key) {
            if (!make)
                return NULL;
            if (nsyncs >= SYNC_MAX / 2) {
                incomplete("too many synchronisation objects");
                return NULL;
            }
            nsyncs++;
            syncs[i].key = key;
            return &syncs[i];
        }
    }
    return NULL;
}

/* The tables are the runtime's, touched by the thread that holds the
 * baton; a thread the watchdog released could race it: then nothing
 * more is followed. */
static bool enter(void)
{
    if (off)
        return false;
    if (atomic_flag_test_and_set_explicit(&busy, memory_order_acquire)) {
        incomplete("threads ran at once");
        return false;
    }
    return true;
}

static void leave(void)
{
    atomic_flag_clear_explicit(&busy, memory_order_release);
}

/* ---- synchronisation ---- */

static void acquire_key(Thr *self, uintptr_t key)
{
    Clock *t = thread_clock(self);
    Sync *s = t ? sync_of(key, false) : NULL;
    if (s)
        clock_join(t, &s->vc);
}

/* join: the object's clock takes the thread's (release); replace: a
 * store that starts a new release sequence. Then the thread's own
 * entry ticks, so what it does next is after. */
static void release_key(Thr *self, uintptr_t key, bool replace)
{
    Clock *t = thread_clock(self);
    Sync *s = t ? sync_of(key, true) : NULL;
    if (!s)
        return;
    if (replace && s->vc.n)
        memset(s->vc.c, 0, (size_t)s->vc.n * sizeof *s->vc.c);
    clock_join(&s->vc, t);
    t->c[self->id]++;
}

/* Read-held locks release into a clock of their own: one reader does not
 * order another. */
#define READ_SIDE(o) (~(uintptr_t)(o)->addr) /* no object is there */

void rt_hb_acquire(Thr *self, const Obj *o, bool write)
{
    if (!enter())
        return;
    acquire_key(self, (uintptr_t)o->addr);
    if (write && o->kind == OK_RWLOCK)
        acquire_key(self, READ_SIDE(o));
    leave();
}

void rt_hb_release(Thr *self, const Obj *o, bool write)
{
    if (!enter())
        return;
    release_key(self, o->kind == OK_RWLOCK && !write ? READ_SIDE(o) : (uintptr_t)o->addr, false);
    leave();
}

void rt_hb_key_acquire(Thr *self, const void *key)
{
    if (!enter())
        return;
    acquire_key(self, (uintptr_t)key);
    leave();
}

void rt_hb_forget(const void *addr)
{
    if (!enter())
        return;
    const uintptr_t keys[] = {(uintptr_t)addr, ~(uintptr_t)addr};
    for (int i = 0; i < 2; i++) {
        Sync *s = sync_of(keys[i], false);
        if (s && s->vc.n)
            memset(s->vc.c, 0, (size_t)s->vc.n * sizeof *s->vc.c);
    }
    leave();
}

void rt_hb_key_release(Thr *self, const void *key)
{
    if (!enter())
        return;
    release_key(self, (uintptr_t)key, false);
    leave();
}

void rt_hb_create(Thr *parent, Thr *child)
{
    if (!enter())
        return;
    Clock *p = thread_clock(parent), *c = p ? thread_clock(child) : NULL;
    /* thread_clock may move the table: look the parent up again */
    if (c && (p = thread_clock(parent)) != NULL) {
        clock_join(c, p);
        p->c[parent->id]++;
    }
    leave();
}

void rt_hb_joined(Thr *self, Thr *child)
{
    if (!enter())
        return;
    Clock *c = thread_clock(child), *t = c ? thread_clock(self) : NULL;
    if (t && (c = thread_clock(child)) != NULL)
        clock_join(t, c);
    leave();
}

/* C11 memory orders as the compiler passes them to the TSan hooks:
 * relaxed, consume, acquire, release, acq_rel, seq_cst. */
static bool acquires(int mo)
{
    return mo == 1 || mo == 2 || mo == 4 || mo == 5;
}

static bool releases(int mo)
{
    return mo == 3 || mo == 4 || mo == 5;
}

static void say_atomic(const Thr *self, uintptr_t pc, uintptr_t addr);

void rt_hb_atomic(Thr *self, const volatile void *a, int mo, HbAtomic op, uintptr_t pc)
{
    if (!self || !enter())
        return;
    uintptr_t key = (uintptr_t)a;
    say_atomic(self, pc, key);
    if (op != HB_STORE && acquires(mo))
        acquire_key(self, key);
    if (op == HB_STORE && releases(mo)) {
        release_key(self, key, true);
    } else if (op == HB_STORE) {
        Sync *s = sync_of(key, false); /* a relaxed store ends the release sequence */
        if (s && s->vc.n)
            memset(s->vc.c, 0, (size_t)s->vc.n * sizeof *s->vc.c);
    } else if (op == HB_RMW && releases(mo)) {
        release_key(self, key, false); /* an RMW continues the sequence */
    }
    leave();
}

/* ---- what is written ---- */

/* Whether (a, b, kind) is new; remembered. */
static bool first_pair(uintptr_t a, uintptr_t b, int kind)
{
    unsigned i = (unsigned)(mix(a) ^ mix(b * 31 + (uintptr_t)kind)) & (PAIRS_MAX * 2 - 1);
    for (unsigned k = 0; k < PAIRS_MAX * 2; k++, i = (i + 1) & (PAIRS_MAX * 2 - 1)) {
        Pair *p = &pairs[i];
        if (p->used && p->a == a && p->b == b && p->kind == kind)
            return false;
        if (!p->used) {
            if (npairs >= PAIRS_MAX) {
                incomplete("too many pairs of conflicting lines");
                return false;
            }
            *p = (Pair){a, b, kind, true};
            npairs++;
            return true;
        }
    }
    return false;
}

/* An atomic operation at pc: Helgrind and DRD see a plain access there. */
/* exe+0x4010 for the program's globals (the harness names them), else mem */
static void addr_ref(uintptr_t a, char *buf, size_t n)
{
    if (a >= ctl.exe_all_lo && a < ctl.exe_all_hi)
        snprintf(buf, n, "exe+0x%lx", (unsigned long)(a - ctl.exe_base));
    else
        snprintf(buf, n, "mem");
}

static void say_atomic(const Thr *self, uintptr_t pc, uintptr_t addr)
{
    if (!first_pair(pc, addr, 2))
        return;
    char p[40], a[40];
    rt_pcref(pc, p, sizeof p);
    addr_ref(addr, a, sizeof a);
    rt_write("evidence atomic");
    rt_writef("access T%d %s %s", self->id, p, a);
    rt_write("endevidence");
}

static void say_pair(const Epoch *before, int tid, uintptr_t pc, bool ordered, uintptr_t addr)
{
    uintptr_t a = before->pc < pc ? before->pc : pc, b = before->pc < pc ? pc : before->pc;
    if (!first_pair(a ^ (addr * 0x9e3779b97f4a7c15ULL), b, ordered))
        return;
    char pa[40], pb[40], ad[40];
    rt_pcref(before->pc, pa, sizeof pa);
    rt_pcref(pc, pb, sizeof pb);
    addr_ref(addr, ad, sizeof ad);
    rt_writef("evidence %s", ordered ? "ordered" : "unordered");
    rt_writef("access T%d %s %s", before->tid, pa, ad);
    rt_writef("access T%d %s %s", tid, pb, ad);
    rt_write("endevidence");
}

static void check(const Epoch *e, const Thr *self, const Clock *t, uintptr_t pc, uintptr_t addr)
{
    if (!e->tid || e->tid == self->id)
        return;
    bool ordered = e->tid < t->n && e->clk <= t->c[e->tid];
    say_pair(e, self->id, pc, ordered, addr);
}

static Shadow *shadow_slot(Shadow *t, unsigned cap, uintptr_t addr)
{
    for (unsigned i = (unsigned)mix(addr) & (cap - 1);; i = (i + 1) & (cap - 1))
        if (t[i].addr == addr || !t[i].addr)
            return &t[i];
}

/* Doubles the table (memory in proportion to the words followed). */
static bool shadow_grow(void)
{
    unsigned cap = shadow_cap ? shadow_cap * 2 : SHADOW_FIRST;
    if (cap > SHADOW_MAX) {
        incomplete("too many words of memory");
        return false;
    }
    Shadow *t = calloc(cap, sizeof *t);
    if (!t) {
        incomplete("out of memory");
        return false;
    }
    for (unsigned i = 0; i < shadow_cap; i++)
        if (shadow[i].addr)
            *shadow_slot(t, cap, shadow[i].addr) = shadow[i];
    free(shadow);
    shadow = t;
    shadow_cap = cap;
    return true;
}

static Shadow *shadow_of(uintptr_t addr)
{
    if ((nshadow + 1) * 2 > shadow_cap && !shadow_grow())
        return NULL;
    Shadow *s = shadow_slot(shadow, shadow_cap, addr);
    if (!s->addr) {
        s->addr = addr;
        nshadow++;
    }
    return s;
}

void rt_hb_access(Thr *self, uintptr_t addr, bool write, uintptr_t pc)
{
    if (!enter())
        return;
    Clock *t = thread_clock(self);
    Shadow *s = t ? shadow_of(addr & ~(uintptr_t)7) : NULL;
    if (s) {
        Epoch now = {self->id, t->c[self->id], pc};
        check(&s->w, self, t, pc, addr);
        if (write) {
            for (int i = 0; i < READERS; i++)
                check(&s->r[i], self, t, pc, addr);
            s->w = now;
            memset(s->r, 0, sizeof s->r);
        } else {
            int slot = -1;
            for (int i = 0; i < READERS && slot < 0; i++)
                if (!s->r[i].tid || s->r[i].tid == self->id)
                    slot = i;
            if (slot < 0)
                incomplete("more readers of one word than followed");
            else
                s->r[slot] = now;
        }
    }
    leave();
}
