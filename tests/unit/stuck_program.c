/* Programs for the early deadlock check (harness/engine/observe/stuck.c), run by
 * engine-units: `stuck-program MODE`.
 *   deadlock  two threads take two locks in opposite orders: stuck for good
 *   alarm     main waits on a semaphore a SIGALRM handler posts after 1 s
 *   timed     every thread waits on a condition with a 1 s time limit
 *   child     main waits on a process-shared semaphore a child posts after 1 s
 *   orphan    the same, posted by a grandchild whose parent is gone: not a
 *             child of the program any more
 * Only `deadlock` may be called a deadlock; the others wait, all threads
 * asleep in futex(2) and no CPU used, and then finish with status 0. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both;
static sem_t posted;

static void *lock_b_then_a(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&b);
    pthread_barrier_wait(&both);
    pthread_mutex_lock(&a);
    return NULL;
}

static int deadlock(void)
{
    pthread_t t;
    pthread_barrier_init(&both, NULL, 2);
    pthread_create(&t, NULL, lock_b_then_a, NULL);
    pthread_mutex_lock(&a);
    pthread_barrier_wait(&both);
    pthread_mutex_lock(&b);
    return 1; /* never */
}

static void on_alarm(int sig)
{
    (void)sig;
    sem_post(&posted); /* async-signal-safe */
}

static int alarm_wakes(void)
{
    sem_init(&posted, 0, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    while (sem_wait(&posted) != 0)
        ; /* EINTR: the handler ran */
    return 0;
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void *timed_wait(void *arg)
{
    (void)arg;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    pthread_mutex_lock(&m);
    while (pthread_cond_timedwait(&never, &m, &until) == 0)
        ;
    pthread_mutex_unlock(&m);
    return NULL;
}

static int timed(void)
{
    pthread_t t;
    pthread_create(&t, NULL, timed_wait, NULL);
    timed_wait(NULL);
    pthread_join(t, NULL);
    return 0;
}

static int child_posts(void)
{
    sem_t *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED || sem_init(s, 1, 0) != 0)
        return 2;
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = {1, 0};
        while (nanosleep(&ts, &ts) != 0)
            ;
        sem_post(s);
        _exit(0);
    }
    sem_wait(s);
    waitpid(pid, NULL, 0);
    return 0;
}

static int orphan_posts(void)
{
    sem_t *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED || sem_init(s, 1, 0) != 0)
        return 2;
    pid_t pid = fork();
    if (pid == 0) {
        if (fork() == 0) {
            struct timespec ts = {1, 0};
            while (nanosleep(&ts, &ts) != 0)
                ;
            sem_post(s);
        }
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    sem_wait(s);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "deadlock"))
        return deadlock();
    if (!strcmp(mode, "alarm"))
        return alarm_wakes();
    if (!strcmp(mode, "timed"))
        return timed();
    if (!strcmp(mode, "child"))
        return child_posts();
    if (!strcmp(mode, "orphan"))
        return orphan_posts();
    fprintf(stderr, "usage: stuck-program deadlock|alarm|timed|child|orphan\n");
    return 2;
}
