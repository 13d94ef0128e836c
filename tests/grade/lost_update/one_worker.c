/* Cheat: one thread does every increment, whatever the number of threads
 * asked for: no race, because never two threads at once. The case's fix
 * runs four at once at the same inputs.
 * grade-expect: score=0 cheat=no-threads
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long counter;
static long total;

static void *worker(void *arg)
{
    (void)arg;
    for (long k = 0; k < total; k++)
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
    total = n * iters;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("Counter: %ld\n", counter);
    return 0;
}
