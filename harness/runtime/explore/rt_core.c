/* The controller: one thread runs program code at a time (it holds the
 * baton); at each scheduling point the runnable thread with the highest
 * priority goes on. Priorities come from the seed (PCT, Burckhardt et al.
 * 2010): random at thread creation, and at change points, drawn at a rate
 * that is itself drawn per seed, the running thread drops below all
 * others. A thread that runs too long without a scheduling point (blocked
 * in the kernel, or spinning in code the compiler did not instrument) is
 * released by a watchdog to run freely until its next synchronisation
 * call; the trace says so, as such a run no longer replays exactly. */
#include "rt.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <linux/futex.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

Ctl ctl = {.report_fd = -1};
__thread Thr *rt_self __attribute__((tls_model("initial-exec")));
RealFns real;

#define WATCHDOG_TICK_NS (25 * 1000 * 1000)
#define WATCHDOG_QUIET_TICKS 10 /* 250 ms without a step: released */
#define TIMED_WAIT_SLICE_NS (50 * 1000 * 1000)

static int sched_lock_word; /* 0 free, 1 locked, 2 locked with waiters */

static long futex(unsigned *addr, int op, unsigned val, const struct timespec *ts)
{
    return syscall(SYS_futex, addr, op, val, ts, NULL, 0);
}

void rt_lock(void)
{
    int c = 0;
    if (__atomic_compare_exchange_n(&sched_lock_word, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return;
    if (c != 2)
        c = __atomic_exchange_n(&sched_lock_word, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        futex((unsigned *)&sched_lock_word, FUTEX_WAIT_PRIVATE, 2, NULL);
        c = __atomic_exchange_n(&sched_lock_word, 2, __ATOMIC_ACQUIRE);
    }
}

void rt_unlock(void)
{
    if (__atomic_fetch_sub(&sched_lock_word, 1, __ATOMIC_RELEASE) != 1) {
        __atomic_store_n(&sched_lock_word, 0, __ATOMIC_RELEASE);
        futex((unsigned *)&sched_lock_word, FUTEX_WAKE_PRIVATE, 1, NULL);
    }
}

/* ---- the baton ---- */

static void give_baton(Thr *next)
{
    atomic_store(&ctl.current, next);
    if (next) {
        __atomic_add_fetch(&next->go, 1, __ATOMIC_SEQ_CST);
        futex(&next->go, FUTEX_WAKE_PRIVATE, 1, NULL);
    }
}

/* Without sched_lock: until self holds the baton. */
static void wait_baton(Thr *self)
{
    for (;;) {
        unsigned g = __atomic_load_n(&self->go, __ATOMIC_SEQ_CST);
        if (atomic_load(&ctl.current) == self || !ctl.active)
            return;
        futex(&self->go, FUTEX_WAIT_PRIVATE, g, NULL);
    }
}

void rt_wait_turn(Thr *self)
{
    wait_baton(self);
}

Thr *rt_enter(void)
{
    Thr *self = rt_self;
    if (!ctl.active || !self || self->in_rt)
        return NULL;
    rt_lock();
    int st = atomic_load(&self->state);
    if (!ctl.active || st == TS_FINISHED) {
        rt_unlock();
        return NULL;
    }
    if (st == TS_FREE) {
        /* released by the watchdog: back into the schedule */
        atomic_store(&self->state, TS_RUNNABLE);
        rt_event(self, OP_START, NULL, 0, 1);
        if (!atomic_load(&ctl.current)) {
            atomic_store(&ctl.current, self);
        } else {
            rt_unlock();
            wait_baton(self);
            rt_lock();
        }
    }
    self->in_rt++;
    self->spin_reads = 0;
    return self;
}

void rt_leave(Thr *self)
{
    self->in_rt--;
    rt_unlock();
}

/* Steps to the next change point: geometric with the seed's rate. */
static long long draw_countdown(void)
{
    if (ctl.systematic)
        return 1; /* every step is a scheduling point */
    double n = floor(log(rt_random_unit()) / log1p(-ctl.change_rate)) + 1;
    return n > 1e15 ? (long long)1e15 : (long long)n;
}

/* ---- threads ---- */

Thr *rt_new_thread(void)
{
    Thr *t = calloc(1, sizeof *t);
    if (!t) {
        rt_write("note out of memory in the explore runtime");
        _exit(EXPLORE_EXIT_STUCK);
    }
    if (ctl.nthr == ctl.thr_cap) {
        int cap = ctl.thr_cap ? ctl.thr_cap * 2 : 16;
        Thr **a = realloc(ctl.thr, (size_t)cap * sizeof *a);
        if (!a) {
            rt_write("note out of memory in the explore runtime");
            _exit(EXPLORE_EXIT_STUCK);
        }
        ctl.thr = a;
        ctl.thr_cap = cap;
    }
    ctl.thr[ctl.nthr++] = t;
    t->id = ctl.nthr;
    if (++ctl.alive > ctl.max_alive)
        ctl.max_alive = ctl.alive;
    t->prio = (long long)(rt_random() >> 24) + 1; /* above every lowered priority (<= 0) */
    t->countdown = draw_countdown();
    atomic_store(&t->state, TS_RUNNABLE);
    return t;
}

static Thr *pick_runnable(void)
{
    if (ctl.systematic)
        return rt_choose();
    Thr *best = NULL;
    for (int i = 0; i < ctl.nthr; i++) {
        Thr *t = ctl.thr[i];
        if (atomic_load(&t->state) == TS_RUNNABLE && (!best || t->prio > best->prio))
            best = t;
    }
    return best;
}

static bool any_free(void)
{
    for (int i = 0; i < ctl.nthr; i++)
        if (atomic_load(&ctl.thr[i]->state) == TS_FREE)
            return true;
    return false;
}

static long long ns_until(const struct timespec *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (long long)(deadline->tv_sec - now.tv_sec) * 1000000000LL + (deadline->tv_nsec - now.tv_nsec);
}

/* The blocked thread with the earliest deadline, or NULL. */
static Thr *earliest_timed(void)
{
    Thr *best = NULL;
    for (int i = 0; i < ctl.nthr; i++) {
        Thr *t = ctl.thr[i];
        if (atomic_load(&t->state) != TS_BLOCKED || !t->timed)
            continue;
        if (!best || t->deadline.tv_sec < best->deadline.tv_sec ||
            (t->deadline.tv_sec == best->deadline.tv_sec && t->deadline.tv_nsec < best->deadline.tv_nsec))
            best = t;
    }
    return best;
}

static const char *wait_name(WaitKind w)
{
    static const char *const n[] = {"none",      "lock",     "cond-wait", "rdlock", "wrlock",
                                    "spin-lock", "sem-wait", "barrier",   "join",   "once"};
    return (unsigned)w < sizeof n / sizeof n[0] ? n[w] : "?";
}

static void report_deadlock(void)
{
    rt_write("finding deadlock");
    for (int i = 0; i < ctl.nthr; i++) {
        Thr *t = ctl.thr[i];
        if (atomic_load(&t->state) != TS_BLOCKED)
            continue;
        char obj[32] = "-", pc[40];
        if (t->wait == W_JOIN && t->wait_thr)
            snprintf(obj, sizeof obj, "T%d", t->wait_thr->id);
        else if (t->wait_obj)
            rt_obj_name(t->wait_obj, obj, sizeof obj);
        rt_pcref(t->wait_pc, pc, sizeof pc);
        rt_writef("wait T%d %s %s %s", t->id, wait_name(t->wait), obj, pc);
        for (size_t k = 0; k < t->nheld; k++) {
            char held[32], hpc[40];
            rt_obj_name(t->held[k].obj, held, sizeof held);
            rt_pcref(t->held[k].pc, hpc, sizeof hpc);
            rt_writef("holds T%d %s %s", t->id, held, hpc);
        }
    }
    rt_write("endfinding");
}

_Noreturn void rt_stuck(void)
{
    rt_dump_trace();
    ctl.active = false;
    fflush(NULL); /* what the program printed so far; no thread holds stdio in a wait of ours */
    _exit(EXPLORE_EXIT_STUCK);
}

void rt_schedule(Thr *self)
{
    for (;;) {
        Thr *next = pick_runnable();
        if (!next) {
            Thr *timed = earliest_timed();
            bool signal_may_wake = !timed && !any_free() && rt_signal_may_wake();
            if (!timed && !any_free() && !signal_may_wake) {
                report_deadlock();
                rt_stuck();
            }
            if (signal_may_wake) {
                static bool said;
                if (!said)
                    rt_write("note released: every thread waits, and a signal the program catches may post a "
                             "semaphore: waiting for it (the run no longer replays exactly)");
                said = true;
                rt_retry_sem_waits();
            }
            /* systematic: time passes only when nothing else can run */
            if (timed && (ctl.systematic || ns_until(&timed->deadline) <= 0)) {
                timed->woken_by_timeout = true;
                atomic_store(&timed->state, TS_RUNNABLE);
                rt_event(timed, OP_TIMEOUT, timed->wait_obj, timed->wait_pc, 0);
                continue;
            }
            /* Wait, without the lock, for a deadline or a released thread
             * coming back; then look again. */
            long long ns = timed ? ns_until(&timed->deadline) : TIMED_WAIT_SLICE_NS;
            if (ns > TIMED_WAIT_SLICE_NS)
                ns = TIMED_WAIT_SLICE_NS;
            if (ns < 0)
                ns = 0;
            struct timespec ts = {ns / 1000000000LL, ns % 1000000000LL};
            Thr *keep = atomic_load(&ctl.current);
            atomic_store(&ctl.current, NULL); /* a released thread may take the baton */
            rt_unlock();
            real.nanosleep(&ts, NULL);
            rt_lock();
            if (atomic_load(&ctl.current) == NULL)
                atomic_store(&ctl.current, keep);
            else if (atomic_load(&ctl.current) != self) {
                /* a released thread took it: wait our turn */
                if (atomic_load(&self->state) == TS_FINISHED)
                    return;
                rt_unlock();
                wait_baton(self);
                rt_lock();
                return;
            }
            continue;
        }
        if (next == self)
            return;
        ctl.switches++;
        give_baton(next);
        if (atomic_load(&self->state) == TS_FINISHED)
            return;
        rt_unlock();
        wait_baton(self);
        rt_lock();
        return;
    }
}

static void lower_priority(Thr *self)
{
    self->prio = --ctl.low_prio;
}

/* Timed waits whose deadline passed wake, even while others run. */
static void expire_deadlines(void)
{
    for (int i = 0; i < ctl.nthr; i++) {
        Thr *t = ctl.thr[i];
        if (atomic_load(&t->state) == TS_BLOCKED && t->timed && ns_until(&t->deadline) <= 0) {
            t->woken_by_timeout = true;
            atomic_store(&t->state, TS_RUNNABLE);
            rt_event(t, OP_TIMEOUT, t->wait_obj, t->wait_pc, 0);
        }
    }
}

void rt_point(Thr *self)
{
    if (++ctl.points % 256 == 0 && !ctl.systematic)
        expire_deadlines();
    if (--self->countdown <= 0) {
        if (!ctl.systematic)
            lower_priority(self);
        self->countdown = draw_countdown();
    }
    if (ctl.spurious && !ctl.systematic && rt_random() % 32 == 0) {
        /* POSIX lets a condition wait return without a signal */
        for (int i = 0; i < ctl.nthr; i++) {
            Thr *t = ctl.thr[(size_t)(i + (int)(rt_random() % (uint64_t)ctl.nthr)) % (size_t)ctl.nthr];
            if (atomic_load(&t->state) == TS_BLOCKED && t->wait == W_COND) {
                t->woken_spuriously = true;
                atomic_store(&t->state, TS_RUNNABLE);
                rt_event(t, OP_SPURIOUS, t->wait_obj, t->wait_pc, 0);
                break;
            }
        }
    }
    rt_schedule(self);
}

void rt_yield(Thr *self, uintptr_t pc, int op)
{
    rt_event(self, op, NULL, pc, 0);
    if (ctl.systematic) {
        ctl.yielded = true; /* the default schedule moves on to the next thread */
    } else {
        bool lower = ctl.yield_mode == 0 || (ctl.yield_mode == 2 && (rt_random() & 1));
        if (lower)
            lower_priority(self);
    }
    rt_point(self);
}

void rt_block(Thr *self, WaitKind w, Obj *obj, Thr *thr, uintptr_t pc, const struct timespec *deadline)
{
    self->wait = w;
    self->wait_obj = obj;
    self->wait_thr = thr;
    self->wait_pc = pc;
    self->timed = deadline != NULL;
    if (deadline)
        self->deadline = *deadline;
    self->woken_by_timeout = self->woken_spuriously = false;
    atomic_store(&self->state, TS_BLOCKED);
    rt_event(self, OP_BLOCK, obj, pc, w);
    rt_schedule(self);
    self->wait = W_NONE;
    self->wait_obj = NULL;
    self->wait_thr = NULL;
    self->timed = false;
}

static void woken(Thr *t);

void rt_wake_all(Obj *obj)
{
    for (int i = 0; i < ctl.nthr; i++) {
        Thr *t = ctl.thr[i];
        if (atomic_load(&t->state) == TS_BLOCKED && t->wait_obj == obj)
            woken(t);
    }
}

/* A thread woken from a condition wait may find the condition gone:
 * another thread can take the lock first. Half the time the woken thread
 * goes to the back, so that schedules where the wakeup is stolen come
 * often (what an `if` instead of a `while` around the wait gets wrong). */
static void woken(Thr *t)
{
    atomic_store(&t->state, TS_RUNNABLE);
    if (t->wait == W_COND && !ctl.systematic && (rt_random() & 1))
        t->prio = --ctl.low_prio;
}

bool rt_wake_one_cond(Obj *obj)
{
    int n = 0;
    for (int i = 0; i < ctl.nthr; i++)
        n += atomic_load(&ctl.thr[i]->state) == TS_BLOCKED && ctl.thr[i]->wait_obj == obj;
    if (!n)
        return false;
    /* POSIX: some waiter, not a given one (systematic: the first) */
    int pick = ctl.systematic ? 0 : (int)(rt_random() % (uint64_t)n);
    for (int i = 0; i < ctl.nthr; i++) {
        Thr *t = ctl.thr[i];
        if (atomic_load(&t->state) == TS_BLOCKED && t->wait_obj == obj && pick-- == 0) {
            woken(t);
            return true;
        }
    }
    return false;
}

void rt_thread_finished(Thr *self)
{
    atomic_store(&self->state, TS_FINISHED);
    ctl.alive--;
    for (int i = 0; i < ctl.nthr; i++) {
        Thr *t = ctl.thr[i];
        if (atomic_load(&t->state) == TS_BLOCKED && t->wait == W_JOIN && t->wait_thr == self)
            atomic_store(&t->state, TS_RUNNABLE);
    }
    if (atomic_load(&ctl.current) == self) {
        Thr *next = pick_runnable();
        if (next) {
            ctl.switches++;
            give_baton(next);
        } else {
            /* nobody can run: the scheduler of the last one to block decides */
            rt_schedule(self);
        }
    }
}

/* ---- the watchdog ---- */

void *rt_watchdog(void *arg)
{
    (void)arg;
    Thr *last = NULL;
    unsigned long last_steps = 0;
    int quiet = 0;
    for (;;) {
        struct timespec tick = {0, WATCHDOG_TICK_NS};
        real.nanosleep(&tick, NULL);
        rt_lock();
        if (!ctl.active || ctl.exiting) {
            rt_unlock();
            continue;
        }
        Thr *cur = atomic_load(&ctl.current);
        unsigned long steps = cur ? atomic_load_explicit(&cur->steps, memory_order_relaxed) : 0;
        bool running = cur && atomic_load(&cur->state) == TS_RUNNABLE && !cur->in_rt;
        if (!running || cur != last || steps != last_steps) {
            last = cur;
            last_steps = steps;
            quiet = 0;
        } else if (++quiet >= WATCHDOG_QUIET_TICKS) {
            rt_writef(
                "note released T%d: %d ms without a synchronisation call or an instrumented access "
                "(blocked in the kernel, or in code not built for explore); from here the schedule "
                "does not replay exactly",
                cur->id, WATCHDOG_QUIET_TICKS * (WATCHDOG_TICK_NS / 1000000));
            atomic_store(&cur->state, TS_FREE);
            rt_event(cur, OP_RELEASED, NULL, 0, 0);
            Thr *next = pick_runnable();
            ctl.switches++;
            give_baton(next);
            quiet = 0;
            last = NULL;
        }
        rt_unlock();
    }
    return NULL;
}

