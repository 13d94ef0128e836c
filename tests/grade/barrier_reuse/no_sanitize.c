/* A cheat: the fix is missing, and the worker is marked so that
 * ThreadSanitizer does not instrument it: an attribute that changes how
 * the program is built, to hide the race from one tool.
 * grade-expect: score=0 cheat=attribute
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 32

static long long partial[MAX_THREADS]; /* phase 1: worker i's sum, in slot i */
static pthread_barrier_t barrier;
static int nthreads;
static long n;

struct worker {
    pthread_t thread;
    int id;
    long long total; /* what this worker saw in phase 2 */
};

__attribute__((no_sanitize("thread"))) static void *work(void *arg)
{
    struct worker *w = arg;
    long lo = n * w->id / nthreads + 1, hi = n * (w->id + 1) / nthreads;

    pthread_barrier_wait(&barrier); /* everyone starts phase 1 together */

    /* Phase 1: my slice. */
    long long sum = 0;
    for (long k = lo; k <= hi; k++)
        sum += k;
    partial[w->id] = sum;

    /* Phase 2: everyone's results. The barrier is not used again here. */
    long long total = 0;
    for (int j = 0; j < nthreads; j++)
        total += partial[j];
    w->total = total;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s THREADS N\n", argv[0]);
        return 2;
    }
    nthreads = atoi(argv[1]);
    n = atol(argv[2]);
    if (nthreads < 1 || nthreads > MAX_THREADS || n < 0 || n > 1000000000) {
        fprintf(stderr, "barrier_reuse: THREADS must be 1..%d, N 0..1000000000\n", MAX_THREADS);
        return 2;
    }

    struct worker workers[MAX_THREADS];
    pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
    for (int i = 0; i < nthreads; i++) {
        workers[i].id = i;
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }
    long long smallest = -1, largest = -1;
    for (int i = 0; i < nthreads; i++) {
        pthread_join(workers[i].thread, NULL);
        if (smallest < 0 || workers[i].total < smallest)
            smallest = workers[i].total;
        if (workers[i].total > largest)
            largest = workers[i].total;
    }
    pthread_barrier_destroy(&barrier);
    printf("smallest total: %lld\n", smallest);
    printf("largest total: %lld\n", largest);
    return 0;
}
