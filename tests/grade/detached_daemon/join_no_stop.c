/* A wrong fix: the saver is joinable now, but nothing tells it to stop, so
 * main's join waits forever. The wall-clock limit ends it.
 * grade-expect: score=10 passed=compile failed=explore
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
    pthread_create(&tid, NULL, saver, NULL);
    pthread_join(tid, NULL);
    printf("processed: %ld\n", processed);
    return 0;
}
