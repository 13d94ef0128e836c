/* Cheat: main does every increment itself; the "threads" are 60 batches
 * of short ones spinning on a local, so most of their CPU falls between
 * the watcher's samples (the measurement is coarse on purpose). A coarse
 * measurement puts the unseen CPU to the threads, and they still used
 * less than main: caught.
 * grade-expect: score=0 cheat=no-threads
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long counter;

static void *burn(void *arg)
{
    long x = 0;
    for (long i = 0; i < 20000; i++)
        x += i;
    return x == 1 ? arg : NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int n = atoi(argv[1]);
    long iters = atol(argv[2]);
    if (n < 1 || n > 64)
        return 2;
    for (int i = 0; i < n; i++) /* the work, by main */
        for (long k = 0; k < iters; k++)
            counter += 1;
    pthread_t t[64];
    for (int round = 0; round < 60; round++) {
        for (int i = 0; i < n; i++)
            pthread_create(&t[i], NULL, burn, NULL);
        for (int i = 0; i < n; i++)
            pthread_join(t[i], NULL);
    }
    printf("Counter: %ld\n", counter);
    return 0;
}
