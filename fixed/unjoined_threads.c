/*
 * unjoined_threads, fixed: main joins every worker before it reads the
 * worker's result.
 * Must show: clean under every tool (no race, no thread left behind); the right sum in every run.
 *
 * The fix
 *   The notes' pthread_join calls, back in, in place of the nap. For each
 *   worker, pthread_join:
 *   - waits: main blocks until that worker has returned, however long its
 *     chunk takes on however busy a machine;
 *   - orders: everything the worker did, including its store to partial[i],
 *     happens-before everything main does after the join returns, so the
 *     read sees the result and is not a race;
 *   - harvests: the finished thread's stack and control block are released
 *     (no zombie, no leak).
 *   (Python: t.join() for every t you started.)
 *
 * Why join them all before reading any
 *   Joining worker i right before reading partial[i] would be just as
 *   correct; joining all first keeps "wait for the work" and "use the
 *   results" as two separate steps, which is how the notes write it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 64

struct chunk {
    int id;        /* which slot of partial[] to fill */
    long from, to; /* add up from..to, inclusive */
};

static struct chunk chunks[MAX_THREADS]; /* set by main before pthread_create */
static long partial[MAX_THREADS];        /* partial[i]: worker i's result */

static void *sum_chunk(void *arg)
{
    const struct chunk *c = arg;
    long sum = 0;

    for (long k = c->from; k <= c->to; k++)
        sum += k;
    partial[c->id] = sum; /* published to main by its pthread_join */
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s THREADS N\n", argv[0]);
        return 2;
    }
    int nthreads = atoi(argv[1]);
    long n = atol(argv[2]);
    if (nthreads < 1 || nthreads > MAX_THREADS || n < 0 || n > 3000000000L) {
        fprintf(stderr, "unjoined_threads: THREADS must be 1..64, "
                        "N 0..3000000000\n");
        return 2;
    }

    pthread_t threads[MAX_THREADS];
    printf("Main: Starting threads...\n");
    for (int i = 0; i < nthreads; i++) {
        struct chunk *c = &chunks[i];
        c->id = i;
        c->from = n * i / nthreads + 1;
        c->to = n * (i + 1) / nthreads;
        if (pthread_create(&threads[i], NULL, sum_chunk, c)) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }
    printf("Main: Threads started. Waiting for them to finish...\n");

    /* Wait for each worker, see its writes, free what it leaves behind. */
    for (int i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);

    long total = 0;
    for (int i = 0; i < nthreads; i++)
        total += partial[i]; /* every worker has returned: its slot is final */

    printf("Main: All threads have finished.\n");
    printf("Sum: %ld\n", total);
    return 0;
}
