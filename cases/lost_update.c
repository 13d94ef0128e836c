/*
 * lost_update: a data race loses increments: several threads run
 * `counter += 1` on one shared counter, with no lock.
 *
 * What it does
 *   main starts THREADS workers; each runs `counter += 1` ITERS times; main
 *   joins them and prints the total. The right answer is THREADS * ITERS.
 *   (The course notes: two Python threads, 100_000 increments each, and the
 *   counter ends at 121472 instead of 200000.)
 *
 * Where the bug is
 *   The line marked @incr. `counter += 1` looks like one step but is three:
 *   READ counter into a register, ADD 1, WRITE it back. Nothing stops two
 *   threads from interleaving those steps:
 *
 *       T1: read 100            T2: read 100
 *       T1: write 101           T2: write 101     -> one increment is lost
 *
 *   That is a data race: two threads touch the same variable, at least one
 *   writes, and nothing orders the two accesses. The lost updates are its
 *   symptom; how many are lost depends on the scheduler, so a run can even
 *   come out right. The detectors do not need a wrong answer: they see the
 *   unordered pair of accesses on the first run.
 *
 * What the tools say
 *   TSan and Helgrind name the variable and both accesses (@incr vs @incr).
 *   DRD names one access per report and no variable; for the load at the top
 *   of the loop body it reports the loop's own line (@loop): Valgrind's
 *   instruction pointer is at the loop branch there. memcheck is blind: it
 *   checks memory (leaks, bad reads), and a race damages a value.
 *
 * How the fix differs (fixed/lost_update.c)
 *   A pthread mutex around the increment makes read-add-write one critical
 *   section: only one thread at a time can be between lock and unlock.
 *
 * racelab:
 *   class:    lost-update
 *   params:   threads=2 iters=1000
 *   verify:   threads=2 iters=3
 *   grade:    threads=2..8 iters=1000..20000
 *   stress:   threads=4 iters=1000000
 *   output:   ?Counter: 0
 *   output:   Counter: {threads * iters}
 *   creates:  {threads}
 *   tsan:     data-race counter @incr @incr
 *   helgrind: Race counter @incr @incr
 *   drd:      ConflictingAccess @incr @loop
 *   memcheck: blind -- a race corrupts a value, not memory: memcheck checks memory
 *   explore:  wrong-answer
 *   native:   wrong-answer
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static int counter; /* shared by every worker */

static void *increment_counter(void *arg)
{
    long iters = *(const long *)arg;

    for (long i = 0; i < iters; i++) { /* @loop */
        counter += 1; /* @incr: read, add, write: three steps, no lock */
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
