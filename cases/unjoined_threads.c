/*
 * unjoined_threads: a data race on the workers' results: main reads them
 * without joining the workers (it naps instead of calling pthread_join).
 *
 * What it does
 *   Sums 1..N: main splits the range into THREADS chunks and starts one
 *   worker per chunk; worker i adds up its chunk and stores the result in
 *   partial[i]. main adds up the partials and prints the sum. The right
 *   answer is N * (N + 1) / 2.
 *   It is the course notes' concurrent_no_join.c: the two pthread_join calls
 *   are commented out ("If we didn't do this, main might exit immediately,
 *   killing the child threads"), and, to give the threads time, main naps
 *   for 100 ms instead.
 *
 * Where the bug is
 *   The missing joins, which leaves the lines marked @read and @store
 *   unordered. pthread_join does three things, and a nap does none of them:
 *
 *   1. It waits. main blocks until the thread has ended. The nap is a guess:
 *      on a loaded machine, or with a bigger N, the workers are not done
 *      after 100 ms; main adds up zeros for the unfinished ones, prints a
 *      wrong total and returns, and exit kills the workers mid-chunk.
 *   2. It orders. Everything the thread did before it ended happens-before
 *      everything after pthread_join returns, so the worker's write of
 *      partial[i] is visible to main's read. Without it the two accesses are
 *      a data race, even in a run where the worker did finish first: nothing
 *      in the program says it must have, and a race is undefined behaviour
 *      in C, whatever the timing.
 *   3. It harvests. A thread that has returned is a zombie, as in the notes:
 *      its stack and its control block (the TCB, holding its return value)
 *      stay allocated until someone joins it. These are never freed.
 *
 *   Sleep is not a join: it only makes the wrong answer rarer.
 *
 * What the tools say
 *   TSan reports the data race on partial, @store vs @read, with a note,
 *   "As if synchronized via sleep", pointing at the nap (@nap): the only
 *   thing that put the store first was the sleep, and TSan knows a sleep
 *   orders nothing (the note is context, not a side of the race). Then a
 *   thread leak at pthread_create (@create), one report for all the workers
 *   ("And 1 more similar thread leaks"): TSan counts a thread as leaked
 *   only once it has finished unjoined, and the workers finished during the
 *   nap.
 *   Helgrind reports the race on partial at main's read, conflicting with
 *   the worker's store. DRD reports only the access where it caught the
 *   conflict, main's load (@read). Neither says anything about the missing
 *   join itself.
 *   memcheck reports Leak_PossiblyLost at pthread_create: 272 bytes per
 *   thread, one record for all of them. It is glibc's per-thread TLS vector
 *   (calloc'd by allocate_dtv when the thread's stack and TCB are set up),
 *   still held by each zombie; a joined thread hands it back.
 *   The findings are the same every run because of the nap, not despite it:
 *   with small N the workers finish long before it ends, even on a loaded
 *   machine, and under Valgrind, which runs one thread at a time, main's
 *   nap is where the workers get to run. Take the nap out and main often
 *   reads before a worker has run: TSan then reports a race and a leak in
 *   one run and nothing at all in the next.
 *
 * How the fix differs (fixed/unjoined_threads.c)
 *   main joins every worker before reading its slot, and the nap is gone:
 *   join is the wait, the ordering and the cleanup in one call.
 *
 * racelab:
 *   class:    unjoined-threads
 *   params:   threads=2 n=1000
 *   verify:   threads=2 n=3
 *   grade:    threads=2..8 n=1000..100000
 *   stress:   threads=2 n=400000000
 *   output:   Sum: {n * (n + 1) / 2}
 *   creates:  {threads}
 *   tsan:     data-race partial @store @read
 *   tsan:     thread-leak @create
 *   helgrind: Race partial @read @store
 *   drd:      ConflictingAccess @read
 *   memcheck: Leak_PossiblyLost @create
 *   explore:  wrong-answer
 *   native:   wrong-answer
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_THREADS 64

struct chunk {
    int id;        /* which slot of partial[] to fill */
    long from, to; /* add up from..to, inclusive */
};

static struct chunk chunks[MAX_THREADS]; /* set by main before pthread_create */
static long partial[MAX_THREADS];        /* partial[i]: worker i's result */

/* "To give the threads time": 100 ms. A guess, and the bug. */
static const struct timespec grace = {0, 100 * 1000 * 1000};

static void *sum_chunk(void *arg)
{
    const struct chunk *c = arg;
    long sum = 0;

    for (long k = c->from; k <= c->to; k++)
        sum += k;
    partial[c->id] = sum; /* @store: the result, once the chunk is done */
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
        if (pthread_create(&threads[i], NULL, sum_chunk, c)) { /* @create */
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }
    printf("Main: Threads started. Waiting for them to finish...\n");

    /* As in the notes, the joins are commented out:
     *     for (int i = 0; i < nthreads; i++)
     *         pthread_join(threads[i], NULL);
     * and main sleeps instead, hoping that is long enough. */
    nanosleep(&grace, NULL); /* @nap: waits for a time, not for the threads */

    long total = 0;
    for (int i = 0; i < nthreads; i++)
        total += partial[i]; /* @read: nobody waited for worker i */

    printf("Main: All threads have finished.\n"); /* main only assumes so */
    printf("Sum: %ld\n", total);
    return 0; /* exit() ends any worker still running, mid-chunk */
}
