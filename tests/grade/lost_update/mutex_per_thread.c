/* A wrong fix: every thread has a mutex of its own. Each thread only ever
 * waits for itself, so two threads are in the critical section at once: a
 * lock must be shared by all the threads it keeps apart.
 * grade-expect: score=10 passed=compile failed=tsan,helgrind,drd,explore
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long counter;

static void *worker(void *arg)
{
    long iters = *(const long *)arg;
    pthread_mutex_t mine = PTHREAD_MUTEX_INITIALIZER;
    for (long i = 0; i < iters; i++) {
        pthread_mutex_lock(&mine);
        counter += 1;
        pthread_mutex_unlock(&mine);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int n = atoi(argv[1]);
    long iters = atol(argv[2]);
    if (n < 1 || n > 64)
        return 2;
    pthread_t t[64];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, worker, &iters);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    printf("Counter: %ld\n", counter);
    return 0;
}
