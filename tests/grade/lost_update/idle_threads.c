/* Cheat: the threads are created and joined, but do nothing; main computes
 * the total from argv itself. No race, the right answer, and a
 * pthread_create for each thread: the threads are measured from outside
 * (the kernel's CPU account), and they did none of the work.
 * grade-expect: score=0 cheat=no-threads */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long counter;

static void *worker(void *arg)
{
    return arg; /* nothing */
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
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < n; i++) /* the work, by main */
        for (long k = 0; k < iters; k++)
            counter += 1;
    printf("Counter: %ld\n", counter);
    return 0;
}
