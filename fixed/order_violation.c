/*
 * order_violation, fixed: main sets up the settings before it starts the
 * workers, so every worker sees them.
 * Must show: clean under every tool; Total: 3 * N*(N+1)/2 in every run.
 *
 * The fix
 *   The setup moves above the pthread_create loop. pthread_create is a
 *   synchronisation point: everything the creating thread did before the
 *   call happens before everything the new thread does. So a worker can
 *   no longer see `settings` as NULL, nor see the pointer but not the
 *   multiplier behind it, and the NULL check and its default go: a worker
 *   that found no settings now would be a bug worth crashing on.
 *   (Python: set up the shared objects, then t.start().)
 *
 *   When the data really is ready only after the threads are running, the
 *   order must be made explicit: main sets a `ready` flag under a mutex
 *   and broadcasts a condition variable the workers wait on in a loop (see
 *   lost_wakeup), or posts a semaphore once per worker.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 64

struct settings {
    long multiplier;
};

static struct settings *settings; /* set up before any worker starts */

struct worker {
    pthread_t thread;
    long lo, hi;      /* my slice: lo..hi */
    long long result;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    long m = settings->multiplier; /* set up before this thread was created */

    long long sum = 0;
    for (long k = w->lo, hi = w->hi; k <= hi; k++)
        sum += k;
    w->result = sum * m;
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
    if (nthreads < 1 || nthreads > MAX_THREADS || n < 0 || n > 1000000000) {
        fprintf(stderr, "order_violation: THREADS must be 1..%d, N 0..1000000000\n", MAX_THREADS);
        return 2;
    }

    /* Set up the settings the workers use, before any of them starts. */
    struct settings *s = malloc(sizeof *s);
    if (!s) {
        fputs("out of memory\n", stderr);
        return 1;
    }
    s->multiplier = 3;
    settings = s;

    struct worker workers[MAX_THREADS];
    for (int i = 0; i < nthreads; i++) {
        workers[i].lo = n * i / nthreads + 1;
        workers[i].hi = n * (i + 1) / nthreads;
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }

    long long total = 0;
    for (int i = 0; i < nthreads; i++) {
        pthread_join(workers[i].thread, NULL);
        total += workers[i].result;
    }
    printf("Total: %lld\n", total);
    settings = NULL;
    free(s);
    return 0;
}
