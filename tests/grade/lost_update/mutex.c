/* A correct fix: one mutex shared by every worker, held around the
 * increment (the course notes' `with lock: counter += 1`).
 * grade-expect: score=100
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct shared {
    pthread_mutex_t lock;
    long counter;
};

static struct shared s = {PTHREAD_MUTEX_INITIALIZER, 0};

static void *worker(void *arg)
{
    long iters = *(const long *)arg;
    for (long i = 0; i < iters; i++) {
        pthread_mutex_lock(&s.lock);
        s.counter++;
        pthread_mutex_unlock(&s.lock);
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
    printf("Counter: %ld\n", s.counter);
    return 0;
}
