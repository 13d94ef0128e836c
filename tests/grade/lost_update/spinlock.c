/* A correct fix with a home-made lock: a C11 atomic_flag spin lock
 * (test-and-set with acquire, clear with release). TSan sees the ordering;
 * Helgrind and DRD do not know this lock and report the counter: not
 * counted, by the grading policy on C11 atomics.
 * grade-expect: score=100 policy=yes
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static long counter;
static atomic_flag lock = ATOMIC_FLAG_INIT;

static void *worker(void *arg)
{
    long iters = *(const long *)arg;
    for (long i = 0; i < iters; i++) {
        while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire))
            sched_yield();
        counter += 1;
        atomic_flag_clear_explicit(&lock, memory_order_release);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int n = atoi(argv[1]);
    long iters = atol(argv[2]);
    if (n < 1 || n > 64)
        return 2;
    pthread_t t[64];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, worker, &iters);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    printf("Counter: %ld\n", counter);
    return 0;
}
