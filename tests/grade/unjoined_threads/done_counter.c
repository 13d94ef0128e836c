/* A correct fix without join before the reads: each worker publishes its sum
 * with a release increment of an atomic count of finished workers; main
 * waits (acquire) until all are done, reads, then joins them to free them.
 * TSan is clean; Helgrind and DRD report the published sums: not counted.
 * grade-expect: score=100 policy=yes */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_THREADS 64

struct chunk {
    int id;
    long from, to;
};

static struct chunk chunks[MAX_THREADS];
static long partial[MAX_THREADS];
#include <sched.h>
#include <stdatomic.h>
static atomic_int finished;

static void *sum_chunk(void *arg)
{
    const struct chunk *c = arg;
    long sum = 0;
    for (long k = c->from; k <= c->to; k++)
        sum += k;
    partial[c->id] = sum;
    atomic_fetch_add_explicit(&finished, 1, memory_order_release);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int nthreads = atoi(argv[1]);
    long n = atol(argv[2]);
    if (nthreads < 1 || nthreads > MAX_THREADS || n < 0)
        return 2;
    pthread_t threads[MAX_THREADS];
    for (int i = 0; i < nthreads; i++) {
        chunks[i] = (struct chunk){i, n * i / nthreads + 1, n * (i + 1) / nthreads};
        pthread_create(&threads[i], NULL, sum_chunk, &chunks[i]);
    }
    while (atomic_load_explicit(&finished, memory_order_acquire) < nthreads)
        sched_yield();
    long early = 0;
    for (int i = 0; i < nthreads; i++)
        early += partial[i];
    for (int i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);
    (void)early;
    long total = 0;
    for (int i = 0; i < nthreads; i++)
        total += partial[i];
    printf("Sum: %ld\n", total);
    return 0;
}
