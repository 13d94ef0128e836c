/* A wrong fix: each worker spins, yielding, until `settings` is not NULL.
 * The answer comes out right, but the pointer and the multiplier are still
 * read with nothing ordering them after main's writes: the data race is
 * still there, and every race detector says so.
 * grade-expect: failed=tsan,helgrind,drd passed=compile
 */
#include <pthread.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>

#define MAX_THREADS 64

struct settings {
    long multiplier;
};

static struct settings *settings; /* NULL until main has set them up */

struct worker {
    pthread_t thread;
    long lo, hi;      /* my slice: lo..hi */
    long long result;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    while (!settings) /* wait until main has set them up */
        sched_yield();
    long m = settings->multiplier;

    long long sum = 0;
    for (long k = w->lo; k <= w->hi; k++)
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

    struct worker workers[MAX_THREADS];
    for (int i = 0; i < nthreads; i++) {
        workers[i].lo = n * i / nthreads + 1;
        workers[i].hi = n * (i + 1) / nthreads;
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }

    /* Set up the settings the workers use: too late, they are running. */
    struct settings *s = malloc(sizeof *s);
    if (!s) {
        fputs("out of memory\n", stderr);
        return 1;
    }
    s->multiplier = 3;
    settings = s;

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
