/* The runtime's start and end: finding the executable and the real
 * functions it stands in for, seeding the schedule from the environment,
 * starting the watchdog, and the report at exit, after a fork and on a
 * crash. */
#include "rt.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- start and end ---- */

static int find_exe(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    /* the first object is the executable */
    ctl.exe_base = info->dlpi_addr;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
        if (!ctl.exe_all_lo || lo < ctl.exe_all_lo)
            ctl.exe_all_lo = lo;
        if (hi > ctl.exe_all_hi)
            ctl.exe_all_hi = hi;
        if (!(ph->p_flags & PF_X))
            continue;
        if (!ctl.exe_lo || lo < ctl.exe_lo)
            ctl.exe_lo = lo;
        if (hi > ctl.exe_hi)
            ctl.exe_hi = hi;
    }
    return 1;
}

static void resolve_real(void)
{
#define REAL(field, name) real.field = (__typeof__(real.field))dlsym(RTLD_NEXT, name)
#define REALV(field, name, ver)                                            \
    do {                                                                   \
        real.field = (__typeof__(real.field))dlvsym(RTLD_NEXT, name, ver); \
        if (!real.field)                                                   \
            REAL(field, name);                                             \
    } while (0)
    REAL(pthread_create, "pthread_create");
    REAL(pthread_join, "pthread_join");
    REAL(pthread_detach, "pthread_detach");
    REAL(pthread_exit, "pthread_exit");
    REAL(mutex_lock, "pthread_mutex_lock");
    REAL(mutex_trylock, "pthread_mutex_trylock");
    REAL(mutex_timedlock, "pthread_mutex_timedlock");
    REAL(mutex_unlock, "pthread_mutex_unlock");
    REAL(mutex_init, "pthread_mutex_init");
    REAL(mutex_destroy, "pthread_mutex_destroy");
    REALV(cond_wait, "pthread_cond_wait", "GLIBC_2.3.2");
    REALV(cond_timedwait, "pthread_cond_timedwait", "GLIBC_2.3.2");
    REALV(cond_signal, "pthread_cond_signal", "GLIBC_2.3.2");
    REALV(cond_broadcast, "pthread_cond_broadcast", "GLIBC_2.3.2");
    REALV(cond_destroy, "pthread_cond_destroy", "GLIBC_2.3.2");
    REAL(rwlock_rdlock, "pthread_rwlock_rdlock");
    REAL(rwlock_wrlock, "pthread_rwlock_wrlock");
    REAL(rwlock_tryrdlock, "pthread_rwlock_tryrdlock");
    REAL(rwlock_trywrlock, "pthread_rwlock_trywrlock");
    REAL(rwlock_unlock, "pthread_rwlock_unlock");
    REAL(rwlock_destroy, "pthread_rwlock_destroy");
    REAL(spin_lock, "pthread_spin_lock");
    REAL(spin_trylock, "pthread_spin_trylock");
    REAL(spin_unlock, "pthread_spin_unlock");
    REAL(sem_wait, "sem_wait");
    REAL(sem_trywait, "sem_trywait");
    REAL(sem_timedwait, "sem_timedwait");
    REAL(sem_post, "sem_post");
    REAL(sem_destroy, "sem_destroy");
    REAL(barrier_init, "pthread_barrier_init");
    REAL(barrier_wait, "pthread_barrier_wait");
    REAL(barrier_destroy, "pthread_barrier_destroy");
    REAL(once, "pthread_once");
    REAL(sched_yield, "sched_yield");
    REAL(nanosleep, "nanosleep");
    REAL(clock_nanosleep, "clock_nanosleep");
    REAL(usleep, "usleep");
    REAL(sleep, "sleep");
#undef REAL
#undef REALV
}

static void at_exit(void)
{
    if (!ctl.active)
        return;
    rt_lock();
    ctl.exiting = true;
    rt_dump_trace();
    unsigned long steps = 0, work = 0;
    for (int i = 0; i < ctl.nthr; i++) {
        steps += atomic_load_explicit(&ctl.thr[i]->steps, memory_order_relaxed);
        work += atomic_load_explicit(&ctl.thr[i]->work, memory_order_relaxed);
    }
    unsigned long main_steps = ctl.nthr ? atomic_load_explicit(&ctl.thr[0]->steps, memory_order_relaxed) : 0;
    unsigned long main_work = ctl.nthr ? atomic_load_explicit(&ctl.thr[0]->work, memory_order_relaxed) : 0;
    rt_writef("end %lu %lu %d %d %lu %lu %lu", steps, ctl.switches, ctl.nthr, ctl.max_alive, main_steps, work,
              main_work);
    ctl.active = false; /* the other threads stay where they wait; exit ends them */
    rt_unlock();
}

static void in_parent_after_fork(void)
{
    if (ctl.active)
        rt_evidence_incomplete("the program forked: its child runs outside explore");
}

static void in_child_after_fork(void)
{
    ctl.active = false; /* a forked child runs freely, and writes nothing */
    ctl.report_fd = -1;
}

static void on_crash(int sig)
{
    char line[64] = "note crash signal ";
    size_t n = strlen(line);
    if (sig >= 10)
        line[n++] = (char)('0' + sig / 10);
    line[n++] = (char)('0' + sig % 10);
    line[n] = '\0';
    rt_write(line);
    rt_dump_trace();
    /* SA_RESETHAND: returning re-runs the fault (or abort raises again)
     * with the default action */
}

static bool initialised;

void rt_init(void)
{
    if (initialised)
        return;
    initialised = true;
    resolve_real();
    const char *seed = getenv(EXPLORE_ENV_SEED), *report = getenv(EXPLORE_ENV_REPORT);
    if (!seed || !report || !real.pthread_create || !real.nanosleep)
        return; /* not an explore run: every call goes to the real function */
    ctl.seed = strtoull(seed, NULL, 10);
    setenv(EXPLORE_ENV_REPORT, "", 1); /* not for the program, nor for what it starts */
    unsetenv(EXPLORE_ENV_REPORT);
    unsetenv(EXPLORE_ENV_SEED);
    rt_report_open(report);
    dl_iterate_phdr(find_exe, NULL);
    rt_seed_rng(ctl.seed);
    /* What this seed explores: how often a change point comes (log-uniform
     * between once per 30000 steps and once per 8), what a yield does,
     * whether condition waits may wake spuriously. */
    ctl.change_rate = exp(log(1.0 / 30000) + rt_random_unit() * (log(1.0 / 8) - log(1.0 / 30000)));
    ctl.yield_mode = (int)(rt_random() % 3);
    ctl.spurious = rt_random() % 4 == 0;
    /* systematic mode: a given schedule instead (rt_choice.c) */
    const char *schedule = getenv(EXPLORE_ENV_SCHEDULE);
    bool schedule_ok = !schedule || rt_choice_init(schedule);
    unsetenv(EXPLORE_ENV_SCHEDULE);
    Thr *main_thr = rt_new_thread();
    main_thr->pt = pthread_self();
    rt_self = main_thr;
    atomic_store(&ctl.current, main_thr);
    rt_writef("%s seed=%llu pid=%d", EXPLORE_MAGIC, ctl.seed, (int)getpid());
    if (!schedule_ok)
        rt_write("note schedule malformed: the default schedule runs");
    rt_backtrace_warmup();
    atexit(at_exit);
    pthread_atfork(NULL, in_parent_after_fork, in_child_after_fork);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    pthread_t w;
    if (real.pthread_create(&w, NULL, rt_watchdog, NULL) == 0)
        real.pthread_detach(w);
    ctl.active = true;
}

__attribute__((constructor(101))) static void rt_start(void)
{
    rt_init();
}
