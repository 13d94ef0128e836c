/*
 * order_violation: an order violation: worker threads use a shared
 * pointer that main sets up only after it has started them.
 *
 * What it does
 *   main starts THREADS workers to add up 1 + 2 + ... + N, each its own
 *   slice, scaled by a multiplier from the program's settings (3 here: the
 *   settings of a real program are read from a file). Only then does main
 *   allocate the settings, fill them in and publish them in the global
 *   pointer `settings`. Each worker reads the multiplier from `settings`,
 *   or 1, the built-in default, while there are no settings yet. main
 *   joins the workers and prints the total: 3 * N*(N+1)/2.
 *   (The course notes: "The start() function returns immediately. The main
 *   thread's RIP on Core 1 moves to the next line. It does NOT wait for T1
 *   to actually start executing." Nor does the new thread wait for main's
 *   next line: from pthread_create on, the two run in either order.)
 *
 * Where the bug is
 *   The code assumes an order, "main's setup (@init, @publish) before the
 *   workers' use (@use)", that nothing enforces. pthread_create orders
 *   everything main did BEFORE it before everything the new thread does;
 *   main's setup comes after it. A worker that starts quickly reads
 *   `settings` while it is still NULL and uses the default: its slice comes
 *   out one third of what it should. (Without the NULL check it would
 *   crash; the classic form of this bug, in Mozilla and MySQL among the
 *   order violations Lu et al. studied, ASPLOS 2008.) It is also a data
 *   race: main writes `settings` and the fields, the workers read them,
 *   and nothing orders the accesses. Whether the answer comes out wrong is
 *   timing: main usually wins, because a new thread takes a while to start.
 *
 * What the tools say
 *   TSan, Helgrind and DRD report the race on `settings` between main's
 *   write (@publish) and a worker's read (@use), in every run, whichever
 *   came first: no synchronisation orders them. A worker that saw the
 *   pointer also reads the multiplier through it, unordered with main's
 *   write of it (@init): that report names the heap block, not a variable,
 *   and comes only in runs where a worker came second, so the expectation
 *   accepts any pair of the three lines. TSan puts main's side of it on
 *   the malloc line (@alloc): at -O1 the store of the multiplier carries
 *   the line of the malloc it follows. memcheck is blind: every pointer
 *   it reads is NULL or valid. explore and native runs show the short
 *   total.
 *
 * How the fix differs (fixed/order_violation.c)
 *   main sets up the settings before it starts the workers: pthread_create
 *   orders everything before it before everything the new thread does, so
 *   every worker sees the settings, and sees them filled in. (When the
 *   setup must come later, the worker waits for it: a flag and a condition
 *   variable, or a semaphore main posts once the settings are ready.)
 *
 * racelab:
 *   class:    order-violation
 *   params:   threads=2 n=100
 *   verify:   threads=2 n=2
 *   grade:    threads=1..8 n=10..100000
 *   stress:   threads=16 n=1000
 *   output:   Total: {3 * n * (n + 1) / 2}
 *   creates:  {threads}
 *   tsan:     data-race @use @publish @init @alloc
 *   helgrind: Race @use @publish @init
 *   drd:      ConflictingAccess @use @publish @init
 *   memcheck: blind -- every pointer read is NULL or valid: no memory is misused
 *   explore:  wrong-answer
 *   native:   wrong-answer
 */
#include <pthread.h>
#include <stdio.h>
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
    long m = settings ? settings->multiplier : 1; /* @use: not set up yet? the default */

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
    struct settings *s = malloc(sizeof *s); /* @alloc */
    if (!s) {
        fputs("out of memory\n", stderr);
        return 1;
    }
    s->multiplier = 3; /* @init */
    settings = s;      /* @publish */

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
