/* Threads under the explore runtime: creation (the new thread waits for
 * the baton before it runs a line of the program), join (a wait in the
 * scheduler), exit, detach; yields and sleeps, which are scheduling points
 * that take no time; and the C11 <threads.h> calls, which glibc does not
 * route through the pthread functions a library can interpose. */
#include "rt.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>
#include <unistd.h>

/* The raw return address: taken first, turned into the program's line
 * (rt_caller_pc, which may unwind the stack) only once the call is known
 * to be controlled: the unwinder itself calls pthread_once. */
#define RET() ((uintptr_t)__builtin_return_address(0))

static pthread_key_t finish_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void finish(Thr *t, void *ret)
{
    Thr *self = rt_enter();
    if (!self || self != t)
        return;
    self->ret = ret;
    rt_event(self, OP_EXIT, NULL, 0, 0);
    rt_thread_finished(self);
    self->in_rt--;
    rt_unlock();
}

/* pthread_exit and cancellation end a thread without returning from its
 * start routine: the end comes through this destructor instead. */
static void finish_from_key(void *p)
{
    finish(p, NULL);
}

static void make_key(void)
{
    pthread_key_create(&finish_key, finish_from_key);
}

static void *trampoline(void *p)
{
    Thr *self = p;
    rt_self = self;
    pthread_setspecific(finish_key, self);
    rt_wait_turn(self); /* not a line of the program before the scheduler says so */
    void *ret = self->fn(self->arg);
    finish(self, ret);
    return ret;
}

RT_EXPORT int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    Thr *self = rt_enter();
    if (!self)
        return real.pthread_create(t, attr, fn, arg);
    pthread_once(&key_once, make_key);
    uintptr_t pc = rt_caller_pc(RET());
    Thr *child = rt_new_thread();
    child->fn = fn;
    child->arg = arg;
    int detach = PTHREAD_CREATE_JOINABLE;
    if (attr && pthread_attr_getdetachstate(attr, &detach) == 0)
        child->detached = detach == PTHREAD_CREATE_DETACHED;
    rt_hb_create(self, child); /* before the child can run */
    int r = real.pthread_create(t, attr, trampoline, child);
    if (r != 0) {
        atomic_store(&child->state, TS_FINISHED); /* never ran */
        rt_leave(self);
        return r;
    }
    child->pt = *t;
    rt_event(self, OP_CREATE, NULL, pc, child->id);
    rt_point(self);
    rt_leave(self);
    return 0;
}

/* The controlled thread with this handle that nobody has joined yet. */
static Thr *find_thread(pthread_t t)
{
    for (int i = ctl.nthr; i-- > 0;) {
        Thr *c = ctl.thr[i];
        if (!c->joined && c->id != 1 && pthread_equal(c->pt, t))
            return c;
    }
    return NULL;
}

static int join_at(pthread_t t, void **ret, uintptr_t pc, bool try_only, const struct timespec *deadline)
{
    Thr *self = rt_enter();
    if (!self)
        return real.pthread_join(t, ret);
    if (deadline)
        rt_timed_call();
    pc = rt_caller_pc(pc); /* now that the call is controlled */
    Thr *target = find_thread(t);
    if (!target || target == self) {
        rt_leave(self);
        return target ? EDEADLK : real.pthread_join(t, ret);
    }
    rt_event(self, OP_JOIN, NULL, pc, target->id);
    rt_point(self);
    while (atomic_load(&target->state) != TS_FINISHED) {
        if (try_only) {
            rt_leave(self);
            return EBUSY;
        }
        rt_block(self, W_JOIN, NULL, target, pc, deadline);
        if (self->woken_by_timeout && atomic_load(&target->state) != TS_FINISHED) {
            rt_leave(self);
            return ETIMEDOUT;
        }
    }
    target->joined = true;
    rt_hb_joined(self, target);
    rt_leave(self);
    /* the thread left the schedule; its real end is a moment away */
    return real.pthread_join(t, ret);
}

RT_EXPORT int pthread_join(pthread_t t, void **ret)
{
    return join_at(t, ret, RET(), false, NULL);
}

RT_EXPORT int pthread_tryjoin_np(pthread_t t, void **ret)
{
    return join_at(t, ret, RET(), true, NULL);
}

RT_EXPORT int pthread_timedjoin_np(pthread_t t, void **ret, const struct timespec *abs)
{
    return join_at(t, ret, RET(), false, abs);
}

RT_EXPORT int pthread_detach(pthread_t t)
{
    Thr *self = rt_enter();
    if (self) {
        Thr *target = find_thread(t);
        if (target)
            target->detached = true;
        rt_event(self, OP_DETACH, NULL, rt_caller_pc(RET()), target ? target->id : 0);
        rt_leave(self);
    }
    return real.pthread_detach(t);
}

RT_EXPORT void pthread_exit(void *ret)
{
    Thr *self = rt_self;
    if (self && self->id == 1) {
        /* main leaves; the process lives on while other threads run */
        finish(self, ret);
    }
    real.pthread_exit(ret); /* the others finish in finish_from_key */
}

/* ---- yields and sleeps: scheduling points that take no time ---- */

static int yield_at(uintptr_t pc, int op)
{
    Thr *self = rt_enter();
    if (!self)
        return -1;
    pc = rt_caller_pc(pc); /* now that the call is controlled */
    rt_yield(self, pc, op);
    rt_leave(self);
    return 0;
}

RT_EXPORT int sched_yield(void)
{
    return yield_at(RET(), OP_YIELD) < 0 ? real.sched_yield() : 0;
}

RT_EXPORT int nanosleep(const struct timespec *req, struct timespec *rem)
{
    if (yield_at(RET(), OP_SLEEP) < 0)
        return real.nanosleep(req, rem);
    if (rem)
        *rem = (struct timespec){0, 0};
    return 0;
}

RT_EXPORT int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem)
{
    if (yield_at(RET(), OP_SLEEP) < 0)
        return real.clock_nanosleep(clk, flags, req, rem);
    if (rem)
        *rem = (struct timespec){0, 0};
    return 0;
}

RT_EXPORT int usleep(useconds_t us)
{
    return yield_at(RET(), OP_SLEEP) < 0 ? real.usleep(us) : 0;
}

RT_EXPORT unsigned sleep(unsigned s)
{
    return yield_at(RET(), OP_SLEEP) < 0 ? real.sleep(s) : 0;
}

/* ---- C11 threads ---- */

typedef struct {
    thrd_start_t fn;
    void *arg;
} C11Start;

static void *c11_start(void *p)
{
    C11Start s = *(C11Start *)p;
    free(p);
    return (void *)(intptr_t)s.fn(s.arg);
}

RT_EXPORT int thrd_create(thrd_t *t, thrd_start_t fn, void *arg)
{
    C11Start *s = malloc(sizeof *s);
    if (!s)
        return thrd_nomem;
    *s = (C11Start){fn, arg};
    int r = pthread_create((pthread_t *)t, NULL, c11_start, s);
    if (r)
        free(s);
    return r == 0 ? thrd_success : r == ENOMEM || r == EAGAIN ? thrd_nomem : thrd_error;
}

RT_EXPORT int thrd_join(thrd_t t, int *res)
{
    void *r = NULL;
    if (pthread_join((pthread_t)t, &r) != 0)
        return thrd_error;
    if (res)
        *res = (int)(intptr_t)r;
    return thrd_success;
}

RT_EXPORT int thrd_detach(thrd_t t)
{
    return pthread_detach((pthread_t)t) == 0 ? thrd_success : thrd_error;
}

RT_EXPORT _Noreturn void thrd_exit(int res)
{
    pthread_exit((void *)(intptr_t)res);
}

RT_EXPORT void thrd_yield(void)
{
    sched_yield();
}

RT_EXPORT int thrd_sleep(const struct timespec *d, struct timespec *rem)
{
    return nanosleep(d, rem) == 0 ? 0 : -1;
}

/* glibc's mtx_t and cnd_t are its pthread types under other names */
static int c11_result(int r)
{
    return r == 0 ? thrd_success : r == EBUSY ? thrd_busy : r == ETIMEDOUT ? thrd_timedout : thrd_error;
}

RT_EXPORT int mtx_lock(mtx_t *m)
{
    return c11_result(pthread_mutex_lock((pthread_mutex_t *)m));
}

RT_EXPORT int mtx_trylock(mtx_t *m)
{
    return c11_result(pthread_mutex_trylock((pthread_mutex_t *)m));
}

RT_EXPORT int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict abs)
{
    return c11_result(pthread_mutex_timedlock((pthread_mutex_t *)m, abs));
}

RT_EXPORT int mtx_unlock(mtx_t *m)
{
    return c11_result(pthread_mutex_unlock((pthread_mutex_t *)m));
}

RT_EXPORT int cnd_wait(cnd_t *c, mtx_t *m)
{
    return c11_result(pthread_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m));
}

RT_EXPORT int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m, const struct timespec *restrict abs)
{
    return c11_result(pthread_cond_timedwait((pthread_cond_t *)c, (pthread_mutex_t *)m, abs));
}

RT_EXPORT int cnd_signal(cnd_t *c)
{
    return c11_result(pthread_cond_signal((pthread_cond_t *)c));
}

RT_EXPORT int cnd_broadcast(cnd_t *c)
{
    return c11_result(pthread_cond_broadcast((pthread_cond_t *)c));
}

RT_EXPORT void call_once(once_flag *flag, void (*init)(void))
{
    if (rt_once(flag, init, RET()) < 0)
        pthread_once((pthread_once_t *)flag, init); /* glibc's once_flag is a pthread_once_t */
}
