/* A wrong fix: only the first worker takes the lock. A lock protects
 * nothing unless every thread takes it around every access.
 * grade-expect: score=10 passed=compile failed=tsan,helgrind,drd,explore
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

struct job {
    int id;
    long iters;
};

static void *worker(void *arg)
{
    const struct job *j = arg;
    for (long i = 0; i < j->iters; i++) {
        if (j->id == 0)
            pthread_mutex_lock(&lock);
        counter += 1;
        if (j->id == 0)
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
    struct job jobs[64];
    for (int i = 0; i < n; i++) {
        jobs[i] = (struct job){i, iters};
        pthread_create(&t[i], NULL, worker, &jobs[i]);
    }
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    printf("Counter: %ld\n", counter);
    return 0;
}
