/* A wrong fix: still detached, main just naps longer before reading.
 * grade-expect: score=10 passed=compile failed=tsan,helgrind,drd,memcheck,explore
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long jobs, processed;

static void *saver(void *arg)
{
    (void)arg;
    for (;;) {
        if (processed < jobs)
            processed++;
        else
            nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    jobs = atol(argv[1]);
    pthread_t tid;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&tid, &attr, saver, NULL);
    nanosleep(&(struct timespec){0, 300 * 1000 * 1000}, NULL);
    printf("processed: %ld\n", processed);
    return 0;
}
