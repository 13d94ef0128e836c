/* A correct fix: a binary semaphore (initial value 1) as the lock around
 * the critical section.
 * grade-expect: score=100
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

static int counter;
static sem_t mutex;

static void *worker(void *arg)
{
    long iters = *(const long *)arg;
    for (long i = 0; i < iters; i++) {
        sem_wait(&mutex);
        counter += 1;
        sem_post(&mutex);
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
    sem_init(&mutex, 0, 1);
    pthread_t t[64];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, worker, &iters);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    sem_destroy(&mutex);
    printf("Counter: %d\n", counter);
    return 0;
}
