/* A correct fix with a condition variable: the saver sleeps on it until
 * there is work or a stop request (re-checked in a while loop), and main
 * joins it before reading the count.
 * grade-expect: score=100
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static long jobs, processed;
static bool stop;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;

static void *saver(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (processed >= jobs && !stop)
            pthread_cond_wait(&changed, &lock);
        if (processed < jobs)
            processed++;
        else
            break;
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    jobs = atol(argv[1]);
    pthread_t tid;
    pthread_create(&tid, NULL, saver, NULL);
    pthread_mutex_lock(&lock);
    stop = true;
    pthread_cond_signal(&changed);
    pthread_mutex_unlock(&lock);
    pthread_join(tid, NULL);
    printf("processed: %ld\n", processed);
    return 0;
}
