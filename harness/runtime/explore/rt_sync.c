/* Mutexes, condition variables, rwlocks and spinlocks, as the explore
 * runtime sees them (semaphores, barriers and pthread_once: rt_sem.c). A controlled thread
 * never blocks in the kernel: it tries the real operation (trylock,
 * trywait), and if that would block it waits in the scheduler until the
 * object changes, so the real objects stay the truth and every outcome is
 * one a real run could have. Condition variables and barriers are
 * modelled whole (their waits would block). Calls from threads the
 * runtime does not control go to the real functions, and still wake the
 * threads that wait in the scheduler. */
#include "rt.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>


/* A call the runtime did not control changed an object: wake whoever
 * waits on it in the scheduler, and hand the baton on if nobody has it. */
void rt_notify(const void *addr, ObjKind kind, bool one_cond)
{
    if (!ctl.active || (rt_self && rt_self->in_rt))
        return;
    rt_lock();
    if (ctl.active) {
        Obj *o = rt_obj(addr, kind);
        if (one_cond)
            rt_wake_one_cond(o);
        else
            rt_wake_all(o);
    }
    rt_unlock();
}

/* abs, a deadline on clock `from`, as a deadline on clock `to`. */
static struct timespec deadline_on(clockid_t from, const struct timespec *abs, clockid_t to)
{
    if (from == to)
        return *abs;
    struct timespec now_from, now_to;
    clock_gettime(from, &now_from);
    clock_gettime(to, &now_to);
    long long ns = (long long)(abs->tv_sec - now_from.tv_sec) * 1000000000LL + (abs->tv_nsec - now_from.tv_nsec);
    long long t = (long long)now_to.tv_sec * 1000000000LL + now_to.tv_nsec + ns;
    return (struct timespec){t / 1000000000LL, t % 1000000000LL};
}

struct timespec rt_realtime_deadline(clockid_t clk, const struct timespec *abs)
{
    return deadline_on(clk, abs, CLOCK_REALTIME);
}

/* ---- mutexes ---- */

static _Noreturn void self_deadlock(Thr *self, Obj *o, uintptr_t pc, const char *what)
{
    char name[32], at[40], first[40] = "?";
    rt_obj_name(o, name, sizeof name);
    rt_pcref(pc, at, sizeof at);
    for (size_t i = 0; i < self->nheld; i++)
        if (self->held[i].obj == o)
            rt_pcref(self->held[i].pc, first, sizeof first);
    rt_write("finding self-deadlock");
    rt_writef("again T%d %s %s %s %s", self->id, name, at, first, what);
    rt_write("endfinding");
    rt_stuck();
}

/* Takes m for self, waiting in the scheduler while another holds it. */
static int mutex_take(Thr *self, pthread_mutex_t *m, uintptr_t pc, const struct timespec *deadline)
{
    Obj *o = rt_obj(m, OK_MUTEX);
    for (;;) {
        if (o->owner == self) {
            int kind = m->__data.__kind & 3; /* PTHREAD_MUTEX_KIND_MASK_NP */
            if (kind == PTHREAD_MUTEX_RECURSIVE) {
                int r = real.mutex_trylock(m);
                o->depth += r == 0;
                return r;
            }
            if (kind == PTHREAD_MUTEX_ERRORCHECK)
                return EDEADLK;
            self_deadlock(self, o, pc, "a non-recursive mutex locked again by the thread that holds it");
        }
        int r = real.mutex_trylock(m);
        if (r == 0) {
            o->owner = self;
            o->depth = 1;
            rt_acquired(self, o, pc, true, false);
            return 0;
        }
        if (r != EBUSY)
            return r;
        rt_block(self, W_MUTEX, o, NULL, pc, deadline);
        if (self->woken_by_timeout)
            return ETIMEDOUT;
    }
}

static int mutex_lock_at(pthread_mutex_t *m, uintptr_t pc, const struct timespec *deadline)
{
    Thr *self = rt_enter();
    if (!self)
        return deadline ? real.mutex_timedlock(m, deadline) : real.mutex_lock(m);
    if (deadline)
        rt_timed_call();
    pc = rt_caller_pc(pc); /* now that the call is controlled */
    Obj *o = rt_obj(m, OK_MUTEX);
    rt_event(self, OP_LOCK, o, pc, 0);
    rt_point(self);
    int r = mutex_take(self, m, pc, deadline);
    rt_leave(self);
    return r;
}

RT_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
    return mutex_lock_at(m, RET(), NULL);
}

RT_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abs)
{
    return mutex_lock_at(m, RET(), abs);
}

RT_EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clk, const struct timespec *abs)
{
    struct timespec d = rt_realtime_deadline(clk, abs);
    return mutex_lock_at(m, RET(), &d);
}

RT_EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
    Thr *self = rt_enter();
    if (!self)
        return real.mutex_trylock(m);
    uintptr_t pc = rt_caller_pc(RET());
    Obj *o = rt_obj(m, OK_MUTEX);
    rt_point(self);
    int r;
    if (o->owner == self && (m->__data.__kind & 3) == PTHREAD_MUTEX_RECURSIVE) {
        r = real.mutex_trylock(m);
        o->depth += r == 0;
    } else if (o->owner == self) {
        r = EBUSY;
    } else {
        r = real.mutex_trylock(m);
        if (r == 0) {
            o->owner = self;
            o->depth = 1;
            rt_acquired(self, o, pc, true, true);
        }
    }
    rt_event(self, r == 0 ? OP_TRYLOCK : OP_TRYLOCK_BUSY, o, pc, r);
    rt_leave(self);
    return r;
}

/* Lets go of m (all the way, for a condition wait). */
static int mutex_give(Thr *self, pthread_mutex_t *m, Obj *o, bool all)
{
    int r = 0;
    do
        r = real.mutex_unlock(m);
    while (r == 0 && all && o->owner == self && --o->depth > 0);
    if (r == 0 && o->owner == self && (all || --o->depth <= 0)) {
        o->owner = NULL;
        o->depth = 0;
        rt_released(self, o);
        rt_wake_all(o);
    }
    return r;
}

RT_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
    Thr *self = rt_enter();
    if (!self) {
        int r = real.mutex_unlock(m);
        rt_notify(m, OK_MUTEX, false);
        return r;
    }
    uintptr_t pc = rt_caller_pc(RET());
    Obj *o = rt_obj(m, OK_MUTEX);
    int r = mutex_give(self, m, o, false);
    if (r == 0 && o->owner != self)
        rt_wake_all(o); /* unlocked by a thread that does not hold it (UB, but it happens) */
    rt_event(self, OP_UNLOCK, o, pc, r);
    rt_point(self);
    rt_leave(self);
    return r;
}

RT_EXPORT int pthread_mutex_destroy(pthread_mutex_t *m)
{
    int r = real.mutex_destroy(m);
    if (r == 0 && ctl.active) {
        rt_lock();
        rt_obj_forget(m);
        rt_unlock();
    }
    return r;
}

/* ---- condition variables ---- */

static clockid_t cond_clock(pthread_cond_t *c)
{
    return (c->__data.__wrefs & 2) ? CLOCK_MONOTONIC : CLOCK_REALTIME; /* glibc's clock bit */
}

static int cond_wait_at(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abs, clockid_t clk, uintptr_t pc)
{
    Thr *self = rt_enter();
    if (!self) {
        if (!abs)
            return real.cond_wait(c, m);
        /* on the condition variable's own clock (a CLOCK_MONOTONIC one
         * given a wall-clock deadline would wait for decades) */
        struct timespec d = deadline_on(clk, abs, cond_clock(c));
        return real.cond_timedwait(c, m, &d);
    }
    if (abs)
        rt_timed_call();
    pc = rt_caller_pc(pc); /* now that the call is controlled */
    Obj *co = rt_obj(c, OK_COND), *mo = rt_obj(m, OK_MUTEX);
    int depth = mo->owner == self ? mo->depth : 1;
    int r = mutex_give(self, m, mo, true);
    if (r != 0) {
        rt_leave(self);
        return r;
    }
    rt_event(self, OP_WAIT, co, pc, mo->id);
    struct timespec d;
    if (abs)
        d = rt_realtime_deadline(clk, abs);
    rt_block(self, W_COND, co, NULL, pc, abs ? &d : NULL);
    int result = self->woken_by_timeout ? ETIMEDOUT : 0;
    rt_event(self, self->woken_by_timeout ? OP_TIMEOUT : self->woken_spuriously ? OP_SPURIOUS : OP_WOKEN, co, pc, 0);
    rt_point(self);
    mutex_take(self, m, pc, NULL); /* the wait returns holding the mutex, whatever happened */
    while (--depth > 0) {          /* a recursive mutex held more than once before the wait */
        if (real.mutex_trylock(m) == 0)
            mo->depth++;
    }
    rt_leave(self);
    return result;
}

RT_EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    return cond_wait_at(c, m, NULL, CLOCK_REALTIME, RET());
}

RT_EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abs)
{
    return cond_wait_at(c, m, abs, cond_clock(c), RET());
}

RT_EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk, const struct timespec *abs)
{
    return cond_wait_at(c, m, abs, clk, RET());
}

static int cond_wake(pthread_cond_t *c, bool all, uintptr_t pc)
{
    /* the real call too: a thread the runtime does not control may wait in it */
    int r = all ? real.cond_broadcast(c) : real.cond_signal(c);
    Thr *self = rt_enter();
    if (!self) {
        rt_notify(c, OK_COND, !all);
        return r;
    }
    pc = rt_caller_pc(pc); /* now that the call is controlled */
    Obj *o = rt_obj(c, OK_COND);
    if (all)
        rt_wake_all(o);
    else
        rt_wake_one_cond(o);
    rt_event(self, all ? OP_BROADCAST : OP_SIGNAL, o, pc, 0);
    rt_point(self);
    rt_leave(self);
    return r;
}

RT_EXPORT int pthread_cond_signal(pthread_cond_t *c)
{
    return cond_wake(c, false, RET());
}

RT_EXPORT int pthread_cond_broadcast(pthread_cond_t *c)
{
    return cond_wake(c, true, RET());
}

/* ---- rwlocks ---- */

static int rwlock_take(pthread_rwlock_t *rw, bool write, uintptr_t pc, const struct timespec *deadline)
{
    Thr *self = rt_enter();
    if (!self)
        return write ? real.rwlock_wrlock(rw) : real.rwlock_rdlock(rw);
    if (deadline)
        rt_timed_call();
    pc = rt_caller_pc(pc); /* now that the call is controlled */
    Obj *o = rt_obj(rw, OK_RWLOCK);
    rt_event(self, write ? OP_WRLOCK : OP_RDLOCK, o, pc, 0);
    rt_point(self);
    int r;
    bool held_write = false;
    if (rt_holds(self, o, &held_write) && (held_write || write)) {
        if (held_write) {
            r = EDEADLK; /* glibc says so, for both */
            rt_leave(self);
            return r;
        }
        self_deadlock(self, o, pc, "an rwlock taken for writing by a thread that holds it for reading");
    }
    for (;;) {
        r = write ? real.rwlock_trywrlock(rw) : real.rwlock_tryrdlock(rw);
        if (r == 0) {
            if (write)
                o->owner = self;
            else
                o->readers++;
            rt_acquired(self, o, pc, write, false);
            break;
        }
        if (r != EBUSY)
            break;
        rt_block(self, write ? W_WRLOCK : W_RDLOCK, o, NULL, pc, deadline);
        if (self->woken_by_timeout) {
            r = ETIMEDOUT;
            break;
        }
    }
    rt_leave(self);
    return r;
}

RT_EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
    return rwlock_take(rw, false, RET(), NULL);
}

RT_EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
    return rwlock_take(rw, true, RET(), NULL);
}

RT_EXPORT int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abs)
{
    return rwlock_take(rw, false, RET(), abs);
}

RT_EXPORT int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abs)
{
    return rwlock_take(rw, true, RET(), abs);
}

static int rwlock_try(pthread_rwlock_t *rw, bool write, uintptr_t pc)
{
    Thr *self = rt_enter();
    if (!self)
        return write ? real.rwlock_trywrlock(rw) : real.rwlock_tryrdlock(rw);
    pc = rt_caller_pc(pc); /* now that the call is controlled */
    Obj *o = rt_obj(rw, OK_RWLOCK);
    rt_point(self);
    int r = write ? real.rwlock_trywrlock(rw) : real.rwlock_tryrdlock(rw);
    if (r == 0) {
        if (write)
            o->owner = self;
        else
            o->readers++;
        rt_acquired(self, o, pc, write, true);
    }
    rt_event(self, r == 0 ? OP_TRYLOCK : OP_TRYLOCK_BUSY, o, pc, r);
    rt_leave(self);
    return r;
}

RT_EXPORT int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
    return rwlock_try(rw, false, RET());
}

RT_EXPORT int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
    return rwlock_try(rw, true, RET());
}

RT_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
    int r = real.rwlock_unlock(rw);
    Thr *self = rt_enter();
    if (!self) {
        rt_notify(rw, OK_RWLOCK, false);
        return r;
    }
    Obj *o = rt_obj(rw, OK_RWLOCK);
    if (r == 0) {
        bool write = false;
        if (rt_holds(self, o, &write)) {
            if (write)
                o->owner = NULL;
            else if (o->readers > 0)
                o->readers--;
            rt_released(self, o);
        }
        rt_wake_all(o);
    }
    rt_event(self, OP_UNLOCK, o, rt_caller_pc(RET()), r);
    rt_point(self);
    rt_leave(self);
    return r;
}

RT_EXPORT int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
    int r = real.rwlock_destroy(rw);
    if (r == 0 && ctl.active) {
        rt_lock();
        rt_obj_forget(rw);
        rt_unlock();
    }
    return r;
}

/* ---- spinlocks ---- */

RT_EXPORT int pthread_spin_lock(pthread_spinlock_t *s)
{
    Thr *self = rt_enter();
    if (!self)
        return real.spin_lock(s);
    uintptr_t pc = rt_caller_pc(RET());
    Obj *o = rt_obj((const void *)s, OK_SPIN);
    rt_event(self, OP_LOCK, o, pc, 0);
    rt_point(self);
    if (o->owner == self)
        self_deadlock(self, o, pc, "a spinlock locked again by the thread that holds it");
    while (real.spin_trylock(s) != 0)
        rt_block(self, W_SPIN, o, NULL, pc, NULL);
    o->owner = self;
    rt_acquired(self, o, pc, true, false);
    rt_leave(self);
    return 0;
}

RT_EXPORT int pthread_spin_trylock(pthread_spinlock_t *s)
{
    Thr *self = rt_enter();
    if (!self)
        return real.spin_trylock(s);
    uintptr_t pc = rt_caller_pc(RET());
    Obj *o = rt_obj((const void *)s, OK_SPIN);
    rt_point(self);
    int r = real.spin_trylock(s);
    if (r == 0) {
        o->owner = self;
        rt_acquired(self, o, pc, true, true);
    }
    rt_event(self, r == 0 ? OP_TRYLOCK : OP_TRYLOCK_BUSY, o, pc, r);
    rt_leave(self);
    return r;
}

RT_EXPORT int pthread_spin_unlock(pthread_spinlock_t *s)
{
    int r = real.spin_unlock(s);
    Thr *self = rt_enter();
    if (!self) {
        rt_notify((const void *)s, OK_SPIN, false);
        return r;
    }
    Obj *o = rt_obj((const void *)s, OK_SPIN);
    if (o->owner == self) {
        o->owner = NULL;
        rt_released(self, o);
    }
    rt_wake_all(o);
    rt_event(self, OP_UNLOCK, o, rt_caller_pc(RET()), r);
    rt_point(self);
    rt_leave(self);
    return r;
}

