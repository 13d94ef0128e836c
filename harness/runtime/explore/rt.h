/* The explore runtime's own header: what its files share. The runtime is
 * loaded into the program racelab explores (libracelab-explore.so, linked
 * into explore builds, or LD_PRELOADed into a binary the user built). It
 * runs the program's threads one at a time and chooses, at every
 * synchronisation call and every instrumented access to shared memory,
 * which thread goes next, from a seed: so a seed is a schedule.
 *
 * Rules the runtime keeps, because it lives inside someone else's program:
 * it never calls a function it interposes (it uses the real ones, found
 * with dlsym(RTLD_NEXT)); its own state is guarded by one futex lock of its
 * own (sched_lock), never by a pthread mutex; what it writes goes to a
 * file descriptor it opened before main, with write(2). */
#ifndef RACELAB_RT_H
#define RACELAB_RT_H

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "explore_protocol.h"

#define RT_EXPORT __attribute__((visibility("default")))
#define RT_UNLIKELY(x) __builtin_expect(!!(x), 0)

typedef enum { TS_RUNNABLE, TS_BLOCKED, TS_FINISHED, TS_FREE } ThrState;

/* What a blocked thread waits for. */
typedef enum {
    W_NONE,
    W_MUTEX,
    W_COND,
    W_RDLOCK,
    W_WRLOCK,
    W_SPIN,
    W_SEM,
    W_BARRIER,
    W_JOIN,
    W_ONCE,
} WaitKind;

typedef enum { OK_MUTEX, OK_COND, OK_RWLOCK, OK_SPIN, OK_SEM, OK_BARRIER, OK_ONCE, OK_KIND_COUNT } ObjKind;

/* A synchronisation object the program uses, known by its address. */
typedef struct Obj {
    const void *addr;
    ObjKind kind;
    int id;            /* per kind, in order of first use: M1, C1, ... */
    struct Thr *owner; /* mutex, spinlock, rwlock held for writing */
    int depth;         /* recursive mutex: times locked */
    int readers;       /* rwlock: read locks held */
    unsigned barrier_count, barrier_arrived;
    int once_state;   /* 0 not run, 1 running, 2 done */
    bool described;   /* its `obj` line is in the report */
    struct Edge *out; /* lock graph: edges from this lock */
    unsigned mark;    /* lock graph: the search that reached it last */
    bool on_path;     /* lock graph: on the path being searched */
} Obj;

typedef struct {
    Obj *obj;
    uintptr_t pc;
    bool write; /* rwlock held for writing (always true for mutexes) */
} Held;

typedef struct Thr {
    int id; /* 1 is main, then in creation order */
    pthread_t pt;
    _Atomic int state; /* ThrState; set to TS_FREE by the watchdog */
    WaitKind wait;
    Obj *wait_obj;
    struct Thr *wait_thr; /* W_JOIN */
    uintptr_t wait_pc;
    bool timed; /* the wait has a deadline */
    struct timespec deadline;
    bool woken_by_timeout, woken_spuriously;
    long long prio; /* the highest runnable priority runs */
    unsigned go;    /* futex word (__atomic builtins): bumped when this thread gets the baton */
    void *(*fn)(void *);
    void *arg;
    void *ret;
    bool detached, joined;
    int ignore; /* __tsan_ignore_thread_begin depth */
    Held *held;
    size_t nheld, held_cap;
    /* the thread's own fast-path state (touched only by itself) */
    long long countdown;         /* steps to the next change point */
    _Atomic unsigned long steps; /* progress, read by the watchdog */
    _Atomic unsigned long work; /* of the steps, all but a spin's reads (rt_access.c) */
    uintptr_t spin_addr;
    unsigned spin_reads;
    int in_rt; /* inside the runtime (a signal handler re-entering) */
    /* what it does next, when it stops at a scheduling point: its last
     * event (systematic mode's choice points name it) */
    int pend_op;
    Obj *pend_obj;
    long pend_arg;
} Thr;

/* ---- rt_core.c: the controller ---- */
typedef struct {
    bool active;            /* scheduling: off before init, after exit began, in a fork's child */
    _Atomic(Thr *) current; /* the thread that may run program code */
    Thr **thr;
    int nthr, thr_cap;
    _Atomic int alive;      /* threads started and not finished (read by a thread's fast path) */
    int max_alive;          /* the most alive at once */
    uint64_t rng[4];
    double change_rate; /* the chance that a step is a change point */
    int yield_mode;     /* 0: a yield lowers the priority, 1: ignored, 2: a coin */
    bool spurious;      /* condition waits may wake without a signal */
    long long low_prio;
    unsigned long switches;
    unsigned long long seq; /* events so far */
    bool exiting;
    unsigned points; /* scheduling points so far (deadline checks) */
    int report_fd;
    uintptr_t exe_base, exe_lo, exe_hi; /* the executable's load bias and text */
    uintptr_t exe_all_lo, exe_all_hi;   /* all of its segments: its globals */
    unsigned long long seed;
    /* Systematic mode (rt_choice.c): a schedule given as its deviations
     * from the default policy, instead of a seed. */
    bool systematic;
    bool yielded; /* the running thread yielded or slept: the default moves on */
} Ctl;

extern Ctl ctl;
extern __thread Thr *rt_self __attribute__((tls_model("initial-exec")));

void rt_lock(void); /* sched_lock */
void rt_unlock(void);
/* The calling thread, when the runtime controls it and it holds the
 * baton, with sched_lock held; NULL (lock not held) when the call must go
 * straight to the real function. A thread the watchdog released waits
 * here until it has the baton again. */
Thr *rt_enter(void);
void rt_leave(Thr *self);
/* Without sched_lock: sleeps until self holds the baton (or the runtime
 * stopped scheduling). */
void rt_wait_turn(Thr *self);
/* pthread_once and call_once: -1 when the call is not controlled. */
int rt_once(void *flag, void (*init)(void), uintptr_t pc);
/* Lets the scheduler choose who runs next; returns when self runs again
 * (at once if it stays the highest runnable). self may have blocked. */
void rt_schedule(Thr *self);
/* A scheduling point: maybe a change point, then rt_schedule. */
void rt_point(Thr *self);
/* self waits for what (and whom); returns when woken, holding the baton. */
void rt_block(Thr *self, WaitKind w, Obj *obj, Thr *thr, uintptr_t pc, const struct timespec *deadline);
/* Makes every thread blocked on obj runnable again (they retry). */
void rt_wake_all(Obj *obj);
/* rt_core.c, for rt_init.c: the schedule's random numbers from a seed,
 * and the watchdog thread. */
void rt_seed_rng(uint64_t seed);
double rt_random_unit(void);
void *rt_watchdog(void *arg);
/* rt_sync.c: a call the runtime did not control changed the object at
 * addr: wake whoever waits on it in the scheduler. */
void rt_notify(const void *addr, ObjKind kind, bool one_cond);
/* An absolute deadline on clk as one on CLOCK_REALTIME. */
struct timespec rt_realtime_deadline(clockid_t clk, const struct timespec *abs);

/* The raw return address: taken first, turned into the program's line
 * (rt_caller_pc, which may unwind the stack) only once the call is known
 * to be controlled: the unwinder itself calls pthread_once. */
#define RET() ((uintptr_t)__builtin_return_address(0))

/* Makes one thread waiting on a condition variable runnable (chosen from
 * the seed); false if none waits. */
bool rt_wake_one_cond(Obj *obj);
Thr *rt_new_thread(void);
void rt_thread_finished(Thr *self);
uint64_t rt_random(void);
/* A yield or sleep: maybe lowers the thread's priority, then schedules. */
void rt_yield(Thr *self, uintptr_t pc, int op);
/* Stops the program after a deadlock or self-deadlock was reported. */
_Noreturn void rt_stuck(void);

/* ---- rt_objects.c ---- */
Obj *rt_obj(const void *addr, ObjKind kind);
/* "M3": the object's name in the report (writes its `obj` line once). */
void rt_obj_name(Obj *o, char *buf, size_t n);
void rt_obj_forget(const void *addr); /* destroyed: a new object may take the address */

/* ---- rt_graph.c: the lock graph ---- */
void rt_acquired(Thr *self, Obj *o, uintptr_t pc, bool write, bool tried);
void rt_released(Thr *self, Obj *o);
bool rt_holds(Thr *self, Obj *o, bool *write);

/* ---- rt_signal.c ---- */
/* Every thread waits: may a signal handler still post a semaphore one of
 * them waits on (the program catches a signal from outside)? */
bool rt_signal_may_wake(void);
/* The semaphore waiters try again (a handler may have posted). */
void rt_retry_sem_waits(void);

/* ---- rt_choice.c: systematic mode ---- */
/* Reads the schedule (EXPLORE_ENV_SCHEDULE): false if it is malformed. */
bool rt_choice_init(const char *schedule);
/* The runnable thread to run next: the schedule's choice at this point,
 * else the default (the current thread, unless it blocked, ended or
 * yielded; then the next one by number). Writes the choice point when
 * there is a choice. NULL: none is runnable. */
Thr *rt_choose(void);

/* ---- rt_hb.c: happens-before, as evidence for the harness ---- */
typedef enum { HB_LOAD, HB_STORE, HB_RMW } HbAtomic;
void rt_hb_acquire(Thr *self, const Obj *o, bool write); /* a lock taken */
void rt_hb_release(Thr *self, const Obj *o, bool write); /* ... let go */
void rt_hb_key_acquire(Thr *self, const void *key);      /* sem, once */
void rt_hb_key_release(Thr *self, const void *key);
void rt_hb_create(Thr *parent, Thr *child);
void rt_hb_joined(Thr *self, Thr *child);
void rt_hb_atomic(Thr *self, const volatile void *a, int mo, HbAtomic op, uintptr_t pc);
void rt_hb_access(Thr *self, uintptr_t addr, bool write, uintptr_t pc);
/* An object destroyed: a new one at its address starts with no history. */
void rt_hb_forget(const void *addr);
/* What explore's schedules saw is not all another run may do: evidence
 * of happens-before and the lock graph is marked incomplete (once). */
void rt_evidence_incomplete(const char *why);
/* A call with a time limit: time does not pass under explore, so another
 * run (TSan's, Valgrind's) may take its timeout path where no schedule
 * did. */
void rt_timed_call(void);

/* ---- rt_report.c ---- */
enum {
    OP_START,
    OP_CREATE,
    OP_JOIN,
    OP_EXIT,
    OP_DETACH,
    OP_LOCK,
    OP_TRYLOCK,
    OP_TRYLOCK_BUSY,
    OP_UNLOCK,
    OP_RDLOCK,
    OP_WRLOCK,
    OP_WAIT,
    OP_WOKEN,
    OP_TIMEOUT,
    OP_SPURIOUS,
    OP_SIGNAL,
    OP_BROADCAST,
    OP_SEM_WAIT,
    OP_SEM_POST,
    OP_BARRIER,
    OP_ONCE,
    OP_YIELD,
    OP_SLEEP,
    OP_PREEMPT_READ,
    OP_PREEMPT_WRITE,
    OP_SPIN,
    OP_BLOCK,
    OP_RELEASED,
    OP_COUNT
};
/* Opens the report at path (before main) on a high descriptor. */
void rt_report_open(const char *path);
/* Loads the unwinder once, before any thread could need it. */
void rt_backtrace_warmup(void);
void rt_event(Thr *t, int op, Obj *o, uintptr_t pc, long arg);
/* A choice point (systematic mode): `cp K CUR CHOSEN FLAGS T:OP:REF...`. */
void rt_write_choice(unsigned long k, const Thr *cur, const Thr *chosen, const char *flags, Thr *const *run, int n);
/* Writes a whole line to the report (no allocation: safe in a crash). */
void rt_write(const char *s);
void rt_writef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_pcref(uintptr_t pc, char *buf, size_t n);
void rt_dump_trace(void);
/* The first return address on the stack that is in the executable: the
 * program's own line for a call that came through libraries (C++). */
uintptr_t rt_caller_pc(uintptr_t direct);

/* ---- real functions, found with dlsym(RTLD_NEXT) ---- */
typedef struct {
    int (*pthread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    int (*pthread_join)(pthread_t, void **);
    int (*pthread_detach)(pthread_t);
    void (*pthread_exit)(void *) __attribute__((noreturn));
    int (*mutex_lock)(pthread_mutex_t *);
    int (*mutex_trylock)(pthread_mutex_t *);
    int (*mutex_timedlock)(pthread_mutex_t *, const struct timespec *);
    int (*mutex_unlock)(pthread_mutex_t *);
    int (*mutex_init)(pthread_mutex_t *, const pthread_mutexattr_t *);
    int (*mutex_destroy)(pthread_mutex_t *);
    int (*cond_wait)(pthread_cond_t *, pthread_mutex_t *);
    int (*cond_timedwait)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
    int (*cond_signal)(pthread_cond_t *);
    int (*cond_broadcast)(pthread_cond_t *);
    int (*cond_destroy)(pthread_cond_t *);
    int (*rwlock_rdlock)(pthread_rwlock_t *);
    int (*rwlock_wrlock)(pthread_rwlock_t *);
    int (*rwlock_tryrdlock)(pthread_rwlock_t *);
    int (*rwlock_trywrlock)(pthread_rwlock_t *);
    int (*rwlock_unlock)(pthread_rwlock_t *);
    int (*rwlock_destroy)(pthread_rwlock_t *);
    int (*spin_lock)(pthread_spinlock_t *);
    int (*spin_trylock)(pthread_spinlock_t *);
    int (*spin_unlock)(pthread_spinlock_t *);
    int (*sem_wait)(sem_t *);
    int (*sem_trywait)(sem_t *);
    int (*sem_timedwait)(sem_t *, const struct timespec *);
    int (*sem_post)(sem_t *);
    int (*sem_destroy)(sem_t *);
    int (*barrier_init)(pthread_barrier_t *, const pthread_barrierattr_t *, unsigned);
    int (*barrier_wait)(pthread_barrier_t *);
    int (*barrier_destroy)(pthread_barrier_t *);
    int (*once)(pthread_once_t *, void (*)(void));
    int (*sched_yield)(void);
    int (*nanosleep)(const struct timespec *, struct timespec *);
    int (*clock_nanosleep)(clockid_t, int, const struct timespec *, struct timespec *);
    int (*usleep)(unsigned);
    unsigned (*sleep)(unsigned);
} RealFns;

extern RealFns real;
void rt_init(void);

#endif
