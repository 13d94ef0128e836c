/* Cheat: a pthread_create that runs the function right away, in the
 * caller: no second thread, so no race for any tool to see.
 * grade-expect: score=0 cheat=redefinition
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long counter;

int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
    (void)a;
    *t = 0;
    fn(arg);
    return 0;
}

int pthread_join(pthread_t t, void **ret)
{
    (void)t;
    if (ret)
        *ret = NULL;
    return 0;
}

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
    pthread_t t[64];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, worker, &iters);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    printf("Counter: %ld\n", counter);
    return 0;
}
