/* A correct fix (from the review of the writes-only count, which called
 * it a cheat): main lays out the work, one slot per increment, each 1;
 * each worker sums its share into a local and adds that to the counter
 * once, under the mutex. Main makes as many accesses as its threads, so
 * it did not do the work.
 * grade-expect: score=100
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long *work;

struct job {
    const long *part;
    long len;
};

static void *worker(void *arg)
{
    const struct job *j = arg;
    const long *part = j->part;
    long local = 0;
    for (long i = 0; i < j->len; i++)
        local += part[i];
    pthread_mutex_lock(&lock);
    counter += local;
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int n = atoi(argv[1]);
    long iters = atol(argv[2]);
    if (n < 1 || n > 64 || iters < 0)
        return 2;
    work = malloc(sizeof *work * (size_t)(n * iters + 1));
    if (!work)
        return 1;
    for (long i = 0; i < n * iters; i++)
        work[i] = 1;
    pthread_t t[64];
    struct job jobs[64];
    for (int i = 0; i < n; i++) {
        jobs[i] = (struct job){work + i * iters, iters};
        pthread_create(&t[i], NULL, worker, &jobs[i]);
    }
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    printf("Counter: %ld\n", counter);
    free(work);
    return 0;
}
