/* Cheat: the "mutex fix", with pthread_mutex_lock and _unlock redefined
 * as functions that do nothing. The tools watch the real ones.
 * grade-expect: score=0 cheat=redefinition
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int pthread_mutex_lock(pthread_mutex_t *m)
{
    (void)m;
    return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
    (void)m;
    return 0;
}

static void *worker(void *arg)
{
    long iters = *(const long *)arg;
    for (long i = 0; i < iters; i++) {
        pthread_mutex_lock(&lock);
        counter += 1;
        pthread_mutex_unlock(&lock);
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
