/*
 * lost_update, fixed: the same program with the increment in a critical
 * section.
 * Must show: clean under every tool; prints Counter: THREADS * ITERS in every run.
 *
 * The fix
 *   One mutex, shared by every worker, held around `counter += 1`. A thread
 *   that finds the lock taken sleeps until it is released, so the three
 *   steps read-add-write of one thread can no longer interleave with
 *   another's. Unlock publishes the write: the next thread to lock sees it.
 *   (Python: `with lock: counter += 1`.)
 *
 * The cost
 *   The increments are now serialised; the threads take turns. For a loop
 *   that does nothing else, one thread would be faster. Correct first, then
 *   fast: a per-thread local sum added once under the lock, or an
 *   atomic_fetch_add, keeps it correct with far less contention.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static int counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

static void *increment_counter(void *arg)
{
    long iters = *(const long *)arg;

    for (long i = 0; i < iters; i++) {
        pthread_mutex_lock(&counter_lock);
        counter += 1; /* only one thread at a time is here */
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s THREADS ITERS\n", argv[0]);
        return 2;
    }
    int nthreads = atoi(argv[1]);
    long iters = atol(argv[2]);
    if (nthreads < 1 || nthreads > 64 || iters < 0) {
        fprintf(stderr, "lost_update: THREADS must be 1..64, ITERS >= 0\n");
        return 2;
    }

    pthread_t threads[64];
    printf("Counter: %d\n", counter);
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&threads[i], NULL, increment_counter, &iters) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }
    for (int i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);

    printf("Counter: %d\n", counter);
    return 0;
}
