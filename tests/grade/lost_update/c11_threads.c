/* lost_update fixed with C11 <threads.h>: thrd_create, mtx_lock.
 * (found by an adversarial review)
 * grade-expect: score=0 status=rejected
 */
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>

static int counter;
static mtx_t counter_lock;

static int increment_counter(void *arg)
{
    long iters = *(const long *)arg;

    for (long i = 0; i < iters; i++) {
        mtx_lock(&counter_lock);
        counter += 1;
        mtx_unlock(&counter_lock);
    }
    return 0;
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
    if (mtx_init(&counter_lock, mtx_plain) != thrd_success)
        return 1;

    thrd_t threads[64];
    printf("Counter: %d\n", counter);
    for (int i = 0; i < nthreads; i++) {
        if (thrd_create(&threads[i], increment_counter, &iters) != thrd_success) {
            fputs("thrd_create failed\n", stderr);
            return 1;
        }
    }
    for (int i = 0; i < nthreads; i++)
        thrd_join(threads[i], NULL);
    mtx_destroy(&counter_lock);

    printf("Counter: %d\n", counter);
    return 0;
}
