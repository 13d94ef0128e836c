/* Can a signal still wake a program whose every thread waits? Only
 * through a semaphore (sem_post is the one wakeup a handler may make:
 * async-signal-safe), and only if the program catches a signal that comes
 * from outside. Then the scheduler waits for it instead of calling a
 * deadlock; if none comes, the run's time limit ends it (undecided, never
 * a finding). */
#include "rt.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BIT(sig) (1ull << ((sig)-1))

/* The runtime's own handlers, the faults only a running thread raises,
 * and glibc's two (cancellation, setxid): no wakeup from outside. */
static const unsigned long long own = BIT(SIGSEGV) | BIT(SIGBUS) | BIT(SIGILL) | BIT(SIGFPE) | BIT(SIGABRT) |
                                      BIT(SIGTRAP) | BIT(SIGSYS) | BIT(SIGPIPE) | BIT(32) | BIT(33);

static bool catches_outside_signal(void)
{
    char buf[4096];
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    const char *f = strstr(buf, "\nSigCgt:");
    unsigned long long mask = 0;
    return f && sscanf(f + 8, "%llx", &mask) == 1 && (mask & ~own) != 0;
}

bool rt_signal_may_wake(void)
{
    bool sem_waiter = false;
    for (int i = 0; i < ctl.nthr && !sem_waiter; i++)
        sem_waiter = atomic_load(&ctl.thr[i]->state) == TS_BLOCKED && ctl.thr[i]->wait == W_SEM;
    return sem_waiter && catches_outside_signal();
}

void rt_retry_sem_waits(void)
{
    for (int i = 0; i < ctl.nthr; i++) {
        Thr *t = ctl.thr[i];
        if (atomic_load(&t->state) == TS_BLOCKED && t->wait == W_SEM)
            atomic_store(&t->state, TS_RUNNABLE); /* it tries again, and blocks again if still 0 */
    }
}
