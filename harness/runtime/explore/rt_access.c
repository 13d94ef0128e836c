/* The hooks the compiler's ThreadSanitizer instrumentation calls (clang
 * -fsanitize=thread, linked with this runtime instead of TSan's): every
 * access to memory that may be shared, every atomic operation. Each is a
 * step of its thread and maybe a change point, so the schedule can
 * switch threads between a read and the write that depends on it, which
 * is where lost updates and check-then-act bugs happen. Atomics are
 * performed sequentially consistent (stronger than asked is always
 * allowed). A thread that reads one address over and over without writing
 * is spinning: it yields, so that the thread it waits for can run. */
#include "rt.h"

#include <string.h>

#define SPIN_READS 128

static void change_point(Thr *self, uintptr_t addr, bool write, uintptr_t pc, int op)
{
    rt_lock();
    if (!ctl.active || atomic_load(&self->state) != TS_RUNNABLE || atomic_load(&ctl.current) != self) {
        rt_unlock(); /* released by the watchdog meanwhile */
        self->countdown = 1;
        return;
    }
    self->in_rt++;
    rt_event(self, op ? op : write ? OP_PREEMPT_WRITE : OP_PREEMPT_READ, NULL, pc, (long)addr);
    if (op == OP_SPIN)
        rt_yield(self, pc, OP_SPIN);
    else
        rt_point(self); /* countdown is at 0: this is a change point */
    self->in_rt--;
    rt_unlock();
}

static inline void step(uintptr_t addr, bool write, uintptr_t ret, bool plain)
{
    Thr *self = rt_self;
    if (RT_UNLIKELY(!self) || RT_UNLIKELY(!ctl.active) || self->in_rt || self->ignore)
        return;
    if (atomic_load_explicit(&self->state, memory_order_relaxed) != TS_RUNNABLE)
        return; /* released to run freely */
    if (plain)
        rt_hb_access(self, addr, write, ret - 1);
    atomic_store_explicit(&self->steps, atomic_load_explicit(&self->steps, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    /* Work, for the grader's "main did the work": every access but a
     * read of the address this thread read last, with no write between,
     * while another thread is alive (a spin, waiting for that thread). A
     * loop that rereads a global alone is work. */
    bool spin_read = !write && addr == self->spin_addr;
    if (!spin_read || atomic_load_explicit(&ctl.alive, memory_order_relaxed) <= 1)
        atomic_store_explicit(&self->work, atomic_load_explicit(&self->work, memory_order_relaxed) + 1,
                              memory_order_relaxed);
    if (spin_read) {
        if (RT_UNLIKELY(++self->spin_reads >= SPIN_READS)) {
            self->spin_reads = 0;
            change_point(self, addr, false, ret - 1, OP_SPIN);
            return;
        }
    } else {
        self->spin_addr = write ? 0 : addr;
        self->spin_reads = 0;
    }
    if (RT_UNLIKELY(--self->countdown <= 0)) {
        self->countdown = 1; /* rt_point takes it to 0 and draws the next */
        change_point(self, addr, write, ret - 1, 0);
    }
}

#define RET() ((uintptr_t)__builtin_return_address(0))

RT_EXPORT void __tsan_init(void)
{
    rt_init();
}

RT_EXPORT void __tsan_func_entry(void *pc)
{
    (void)pc;
}

RT_EXPORT void __tsan_func_exit(void)
{
}

RT_EXPORT void __tsan_ignore_thread_begin(void)
{
    if (rt_self)
        rt_self->ignore++;
}

RT_EXPORT void __tsan_ignore_thread_end(void)
{
    if (rt_self && rt_self->ignore > 0)
        rt_self->ignore--;
}

#define ACCESS(name, write)               \
    RT_EXPORT void name(void *a)          \
    {                                     \
        step((uintptr_t)a, write, RET(), true); \
    }
#define SIZES(prefix, write) \
    ACCESS(prefix##1, write) \
    ACCESS(prefix##2, write) \
    ACCESS(prefix##4, write) \
    ACCESS(prefix##8, write) \
    ACCESS(prefix##16, write)

SIZES(__tsan_read, false)
SIZES(__tsan_write, true)
SIZES(__tsan_unaligned_read, false)
SIZES(__tsan_unaligned_write, true)
SIZES(__tsan_volatile_read, false)
SIZES(__tsan_volatile_write, true)
SIZES(__tsan_unaligned_volatile_read, false)
SIZES(__tsan_unaligned_volatile_write, true)

RT_EXPORT void __tsan_read_range(void *a, unsigned long size)
{
    (void)size;
    step((uintptr_t)a, false, RET(), true);
}

RT_EXPORT void __tsan_write_range(void *a, unsigned long size)
{
    (void)size;
    step((uintptr_t)a, true, RET(), true);
}

RT_EXPORT void __tsan_vptr_update(void **vptr, void *value)
{
    (void)value;
    step((uintptr_t)vptr, true, RET(), true);
}

RT_EXPORT void __tsan_vptr_read(void **vptr)
{
    step((uintptr_t)vptr, false, RET(), true);
}

/* Annotations some libraries make (sanitizer/tsan_interface.h): nothing
 * for the scheduler to do, but the program must link. */
RT_EXPORT void __tsan_acquire(void *a)
{
    (void)a;
}

RT_EXPORT void __tsan_release(void *a)
{
    (void)a;
}

/* ---- atomics: `mo` is the memory order; all are done seq_cst ---- */

typedef unsigned char a8;
typedef unsigned short a16;
typedef unsigned int a32;
typedef unsigned long long a64;

#define ATOMICS(N, T)                                                                                   \
    RT_EXPORT T __tsan_atomic##N##_load(const volatile T *a, int mo)                                    \
    {                                                                                                   \
        step((uintptr_t)a, false, RET(), false);                                                        \
        T r = __atomic_load_n(a, __ATOMIC_SEQ_CST);                                                     \
        rt_hb_atomic(rt_self, a, mo, HB_LOAD, RET() - 1);                                                          \
        return r;                                                                                       \
    }                                                                                                   \
    RT_EXPORT void __tsan_atomic##N##_store(volatile T *a, T v, int mo)                                 \
    {                                                                                                   \
        step((uintptr_t)a, true, RET(), false);                                                         \
        __atomic_store_n(a, v, __ATOMIC_SEQ_CST);                                                       \
        rt_hb_atomic(rt_self, a, mo, HB_STORE, RET() - 1);                                                         \
    }                                                                                                   \
    RT_EXPORT T __tsan_atomic##N##_exchange(volatile T *a, T v, int mo)                                 \
    {                                                                                                   \
        step((uintptr_t)a, true, RET(), false);\
        T r = __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST);\
        rt_hb_atomic(rt_self, a, mo, HB_RMW, RET() - 1);\
        return r;\
    }                                                                                                   \
    RT_EXPORT T __tsan_atomic##N##_fetch_add(volatile T *a, T v, int mo)                                \
    {                                                                                                   \
        step((uintptr_t)a, true, RET(), false);\
        T r = __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST);\
        rt_hb_atomic(rt_self, a, mo, HB_RMW, RET() - 1);\
        return r;\
    }                                                                                                   \
    RT_EXPORT T __tsan_atomic##N##_fetch_sub(volatile T *a, T v, int mo)                                \
    {                                                                                                   \
        step((uintptr_t)a, true, RET(), false);\
        T r = __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST);\
        rt_hb_atomic(rt_self, a, mo, HB_RMW, RET() - 1);\
        return r;\
    }                                                                                                   \
    RT_EXPORT T __tsan_atomic##N##_fetch_and(volatile T *a, T v, int mo)                                \
    {                                                                                                   \
        step((uintptr_t)a, true, RET(), false);\
        T r = __atomic_fetch_and(a, v, __ATOMIC_SEQ_CST);\
        rt_hb_atomic(rt_self, a, mo, HB_RMW, RET() - 1);\
        return r;\
    }                                                                                                   \
    RT_EXPORT T __tsan_atomic##N##_fetch_or(volatile T *a, T v, int mo)                                 \
    {                                                                                                   \
        step((uintptr_t)a, true, RET(), false);\
        T r = __atomic_fetch_or(a, v, __ATOMIC_SEQ_CST);\
        rt_hb_atomic(rt_self, a, mo, HB_RMW, RET() - 1);\
        return r;\
    }                                                                                                   \
    RT_EXPORT T __tsan_atomic##N##_fetch_xor(volatile T *a, T v, int mo)                                \
    {                                                                                                   \
        step((uintptr_t)a, true, RET(), false);\
        T r = __atomic_fetch_xor(a, v, __ATOMIC_SEQ_CST);\
        rt_hb_atomic(rt_self, a, mo, HB_RMW, RET() - 1);\
        return r;\
    }                                                                                                   \
    RT_EXPORT T __tsan_atomic##N##_fetch_nand(volatile T *a, T v, int mo)                               \
    {                                                                                                   \
        step((uintptr_t)a, true, RET(), false);\
        T r = __atomic_fetch_nand(a, v, __ATOMIC_SEQ_CST);\
        rt_hb_atomic(rt_self, a, mo, HB_RMW, RET() - 1);\
        return r;\
    }                                                                                                   \
    RT_EXPORT int __tsan_atomic##N##_compare_exchange_strong(volatile T *a, T *c, T v, int mo, int fmo) \
    {                                                                                                   \
        step((uintptr_t)a, true, RET(), false);                                                         \
        int ok = __atomic_compare_exchange_n(a, c, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);       \
        rt_hb_atomic(rt_self, a, ok ? mo : fmo, ok ? HB_RMW : HB_LOAD, RET() - 1);                                 \
        return ok;                                                                                      \
    }                                                                                                   \
    RT_EXPORT int __tsan_atomic##N##_compare_exchange_weak(volatile T *a, T *c, T v, int mo, int fmo)   \
    {                                                                                                   \
        step((uintptr_t)a, true, RET(), false);                                                         \
        int ok = __atomic_compare_exchange_n(a, c, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);       \
        rt_hb_atomic(rt_self, a, ok ? mo : fmo, ok ? HB_RMW : HB_LOAD, RET() - 1);                                 \
        return ok;                                                                                      \
    }                                                                                                   \
    RT_EXPORT T __tsan_atomic##N##_compare_exchange_val(volatile T *a, T c, T v, int mo, int fmo)       \
    {                                                                                                   \
        step((uintptr_t)a, true, RET(), false);                                                         \
        int ok = __atomic_compare_exchange_n(a, &c, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);      \
        rt_hb_atomic(rt_self, a, ok ? mo : fmo, ok ? HB_RMW : HB_LOAD, RET() - 1);                                 \
        return c;                                                                                       \
    }

ATOMICS(8, a8)
ATOMICS(16, a16)
ATOMICS(32, a32)
ATOMICS(64, a64)

RT_EXPORT void __tsan_atomic_thread_fence(int mo)
{
    (void)mo;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

RT_EXPORT void __tsan_atomic_signal_fence(int mo)
{
    (void)mo;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}
