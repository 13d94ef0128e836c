/* A correct fix with C11 release/acquire: each worker writes its plain
 * partial sum, then sets its `done` flag with a release store; main spins
 * on an acquire load of the flag before it reads the sum, so the sum is
 * published. TSan understands this; Helgrind and DRD do not and report
 * races on the published sums (docs/tools.md in the racelab tree): the grading policy does
 * not count them.
 * grade-expect: score=100 policy=yes
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static long partial[64];
static atomic_int done[64];

struct job {
    int id;
    long iters;
};

static void *worker(void *arg)
{
    const struct job *j = arg;
    long sum = 0;
    for (long i = 0; i < j->iters; i++)
        sum += 1;
    partial[j->id] = sum;
    atomic_store_explicit(&done[j->id], 1, memory_order_release);
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
    struct job jobs[64];
    for (int i = 0; i < n; i++) {
        jobs[i] = (struct job){i, iters};
        pthread_create(&t[i], NULL, worker, &jobs[i]);
    }
    long total = 0;
    for (int i = 0; i < n; i++) {
        while (!atomic_load_explicit(&done[i], memory_order_acquire))
            sched_yield();
        total += partial[i];
    }
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    printf("Counter: %ld\n", total);
    return 0;
}
