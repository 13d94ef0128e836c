/*
 * barrier_reuse: a data race between two phases: the workers meet at a
 * barrier before phase 1 but not again before phase 2, where each reads
 * the others' phase-1 results.
 *
 * What it does
 *   main starts THREADS workers to add up 1 + 2 + ... + N. Phase 1: worker
 *   i adds its own slice of the numbers and stores the result in
 *   partial[i]. Phase 2: every worker adds up all of partial[] to get the
 *   total, as a step that needs the whole answer would (a normalisation, a
 *   next iteration), and keeps what it saw. main joins them and prints the
 *   smallest and the largest total any worker saw; both must be
 *   N*(N+1)/2. The workers wait at a pthread barrier first, so that phase 1
 *   starts for all of them at once.
 *   The course notes have no Barrier example (threading.Barrier: each
 *   party calls wait(), and nobody leaves until all have arrived). The
 *   nearest thing they have is join: "join() is a synchronization barrier.
 *   It forces the executing thread to stop and wait for another thread's
 *   state change". A join is a one-way barrier at the end of a thread; a
 *   pthread barrier is the same meeting point in the middle of one, and it
 *   can be used again: that is what this program forgets to do.
 *
 * Where the bug is
 *   @write and @read. The barrier is used once, before phase 1, and not
 *   reused between the phases, so nothing orders worker j's write of
 *   partial[j] before worker i's read of it: a data race. A worker that
 *   finishes its slice first adds up partials that are still 0, and its
 *   total is short. Which workers are early is the scheduler's choice; on
 *   a machine with fewer cores than workers, some are nearly always early.
 *
 * What the tools say
 *   TSan, Helgrind and DRD report the race on partial, between a worker's
 *   write (@write) and another's read (@read), in every run, whichever
 *   came first: no synchronisation orders them, and the barrier before
 *   phase 1 orders nothing after it. memcheck is blind: partial[] is a
 *   valid global array; reading it early gives a stale value, not bad
 *   memory. explore and native runs show the short totals.
 *
 * How the fix differs (fixed/barrier_reuse.c)
 *   The same barrier, waited on again between the phases: no worker reads
 *   partial[] until every worker has written its slot, and the barrier's
 *   wait orders those writes before the reads (it is a synchronisation
 *   point for the detectors too). A pthread barrier resets itself when the
 *   last thread arrives, so one barrier serves every phase.
 *
 * racelab:
 *   class:    barrier-reuse
 *   params:   threads=3 n=300
 *   verify:   threads=2 n=2
 *   grade:    threads=2..8 n=100..100000
 *   stress:   threads=4 n=4000000
 *   output:   smallest total: {n * (n + 1) / 2}
 *   output:   largest total: {n * (n + 1) / 2}
 *   creates:  {threads}
 *   tsan:     data-race partial @write @read
 *   helgrind: Race partial @write @read
 *   drd:      ConflictingAccess @write @read
 *   memcheck: blind -- partial[] is valid memory: an early read is a stale value, not a bad access
 *   explore:  wrong-answer
 *   native:   wrong-answer
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

static void *work(void *arg)
{
    struct worker *w = arg;
    long lo = n * w->id / nthreads + 1, hi = n * (w->id + 1) / nthreads;

    pthread_barrier_wait(&barrier); /* everyone starts phase 1 together */

    /* Phase 1: my slice. */
    long long sum = 0;
    for (long k = lo; k <= hi; k++)
        sum += k;
    partial[w->id] = sum; /* @write: my result, for the others */

    /* Phase 2: everyone's results. The barrier is not used again here. */
    long long total = 0;
    for (int j = 0; j < nthreads; j++)
        total += partial[j]; /* @read: has worker j written its slot yet? */
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
