/* nap_then_unlock: main waits for a lock a thread holds through a 1 s nap
 * (nanosleep, clock_nanosleep or the raw system call, by argv[1]). Under
 * TSan every thread but the napper and TSan's own napping thread waits
 * in a futex: the program is not stuck, and must finish, never be called
 * a deadlock. */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t held;
static const char *how = "nanosleep";

static void *napper(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    pthread_barrier_wait(&held);
    struct timespec ts = {1, 0};
    if (!strcmp(how, "clock"))
        clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
    else if (!strcmp(how, "syscall"))
        syscall(SYS_nanosleep, &ts, NULL);
    else
        nanosleep(&ts, NULL);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        how = argv[1];
    pthread_t t;
    pthread_barrier_init(&held, NULL, 2);
    pthread_create(&t, NULL, napper, NULL);
    pthread_barrier_wait(&held);
    pthread_mutex_lock(&lock); /* waits for the nap */
    pthread_mutex_unlock(&lock);
    pthread_join(t, NULL);
    return 0;
}
