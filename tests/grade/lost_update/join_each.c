/* Cheat: each thread is joined right after it is created, so no two ever
 * run at once: no race is left, and no concurrency either. Every tool is
 * clean and every answer right; the threads, measured from outside, never
 * ran two at once where the case's fix runs four.
 * grade-expect: score=0 cheat=no-threads */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long counter;

static void *worker(void *arg)
{
    long iters = *(const long *)arg;
    for (long i = 0; i < iters; i++)
        counter += 1;
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
    for (int i = 0; i < n; i++) {
        pthread_t t;
        pthread_create(&t, NULL, worker, &iters);
        pthread_join(t, NULL); /* one at a time */
    }
    printf("Counter: %ld\n", counter);
    return 0;
}
