/* The race kept, plus a printf of threads * iters: a right line beside
 * the wrong one. The answer fails (one answer, not two), and the
 * detectors see the race (found by an adversarial review).
 * grade-expect: score=10 passed=compile failed=tsan,helgrind,drd,explore */
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
    printf("Counter: %ld\n", nthreads * iters); /* expected */
    printf("Counter: %d\n", counter);
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&threads[i], NULL, increment_counter, &iters) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }
    for (int i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);

    printf("Counter: %ld\n", nthreads * iters); /* expected */
    printf("Counter: %d\n", counter);
    return 0;
}
