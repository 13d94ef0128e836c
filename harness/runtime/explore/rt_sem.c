/* Semaphores, barriers and pthread_once, as the explore runtime sees
 * them: the same rules as rt_sync.c's (a controlled thread never blocks
 * in the kernel; it tries, and waits in the scheduler). */
#include "rt.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- semaphores ---- */

static int sem_take(sem_t *s, uintptr_t pc, const struct timespec *deadline)
{
    Thr *self = rt_enter();
    if (!self)
        return deadline ? real.sem_timedwait(s, deadline) : real.sem_wait(s);
    if (deadline)
        rt_timed_call();
    pc = rt_caller_pc(pc); /* now that the call is controlled */
    Obj *o = rt_obj(s, OK_SEM);
    rt_event(self, OP_SEM_WAIT, o, pc, 0);
    rt_point(self);
    int r, e = 0;
    for (;;) {
        r = real.sem_trywait(s);
        e = errno;
        if (r == 0)
            rt_hb_key_acquire(self, s);
        if (r == 0 || e != EAGAIN)
            break;
        rt_block(self, W_SEM, o, NULL, pc, deadline);
        if (self->woken_by_timeout) {
            r = -1;
            e = ETIMEDOUT;
            break;
        }
    }
    rt_leave(self);
    errno = e;
    return r;
}

RT_EXPORT int sem_wait(sem_t *s)
{
    return sem_take(s, RET(), NULL);
}

RT_EXPORT int sem_timedwait(sem_t *s, const struct timespec *abs)
{
    return sem_take(s, RET(), abs);
}

RT_EXPORT int sem_clockwait(sem_t *s, clockid_t clk, const struct timespec *abs)
{
    struct timespec d = rt_realtime_deadline(clk, abs);
    return sem_take(s, RET(), &d);
}

RT_EXPORT int sem_trywait(sem_t *s)
{
    Thr *self = rt_enter();
    if (!self)
        return real.sem_trywait(s);
    rt_point(self);
    int r = real.sem_trywait(s), e = errno;
    if (r == 0)
        rt_hb_key_acquire(self, s);
    rt_event(self, r == 0 ? OP_SEM_WAIT : OP_TRYLOCK_BUSY, rt_obj(s, OK_SEM), rt_caller_pc(RET()), r);
    rt_leave(self);
    errno = e;
    return r;
}

RT_EXPORT int sem_post(sem_t *s)
{
    int r = real.sem_post(s), e = errno;
    Thr *self = rt_enter();
    if (!self) {
        rt_notify(s, OK_SEM, false);
        errno = e;
        return r;
    }
    Obj *o = rt_obj(s, OK_SEM);
    if (r == 0)
        rt_hb_key_release(self, s);
    rt_wake_all(o);
    rt_event(self, OP_SEM_POST, o, rt_caller_pc(RET()), r);
    rt_point(self);
    rt_leave(self);
    errno = e;
    return r;
}

/* ---- barriers ---- */

RT_EXPORT int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count)
{
    int r = real.barrier_init(b, a, count);
    if (r == 0 && ctl.active) {
        rt_lock();
        rt_obj_forget(b);
        Obj *o = rt_obj(b, OK_BARRIER);
        o->barrier_count = count;
        o->barrier_arrived = 0;
        rt_unlock();
    }
    return r;
}

RT_EXPORT int pthread_barrier_wait(pthread_barrier_t *b)
{
    Thr *self = rt_enter();
    if (!self)
        return real.barrier_wait(b);
    uintptr_t pc = rt_caller_pc(RET());
    Obj *o = rt_obj(b, OK_BARRIER);
    if (!o->barrier_count) {
        unsigned count;
        memcpy(&count, (const char *)b + 2 * sizeof(unsigned), sizeof count); /* glibc: in, round, count */
        o->barrier_count = count ? count : 1;
    }
    rt_event(self, OP_BARRIER, o, pc, (long)o->barrier_arrived + 1);
    int r = 0;
    if (++o->barrier_arrived >= o->barrier_count) {
        o->barrier_arrived = 0;
        rt_wake_all(o);
        r = PTHREAD_BARRIER_SERIAL_THREAD;
        rt_point(self);
    } else {
        rt_block(self, W_BARRIER, o, NULL, pc, NULL);
    }
    rt_leave(self);
    return r;
}

RT_EXPORT int pthread_barrier_destroy(pthread_barrier_t *b)
{
    int r = real.barrier_destroy(b);
    if (r == 0 && ctl.active) {
        rt_lock();
        rt_obj_forget(b);
        rt_unlock();
    }
    return r;
}

/* ---- once ---- */

int rt_once(void *flag, void (*init)(void), uintptr_t pc)
{
    Thr *self = rt_enter();
    if (!self)
        return -1;         /* the caller uses the real one */
    pc = rt_caller_pc(pc); /* now that the call is controlled */
    Obj *o = rt_obj(flag, OK_ONCE);
    rt_event(self, OP_ONCE, o, pc, o->once_state);
    rt_point(self);
    while (o->once_state == 1)
        rt_block(self, W_ONCE, o, NULL, pc, NULL);
    if (o->once_state == 2) {
        rt_hb_key_acquire(self, flag); /* the initialiser's work is done */
        rt_leave(self);
        return 0;
    }
    o->once_state = 1;
    rt_leave(self);
    init(); /* the program's code: no runtime lock held */
    self = rt_enter();
    if (!self)
        return 0;
    o->once_state = 2;
    rt_hb_key_release(self, flag);
    rt_wake_all(o);
    rt_point(self);
    rt_leave(self);
    return 0;
}

RT_EXPORT int pthread_once(pthread_once_t *flag, void (*init)(void))
{
    int r = rt_once(flag, init, RET());
    return r < 0 ? real.once(flag, init) : r;
}
