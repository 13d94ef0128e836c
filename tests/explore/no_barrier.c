/* no_barrier: the same two phases without the barrier: a worker can read
 * its neighbour's slot before the neighbour wrote it.
 *
 * check-expect: 1 explore: 1 finding.*exit-status.*status 1
 */
#include <pthread.h>
#include <stdio.h>

#define N 3

static int slot[N], seen[N];

static void *worker(void *arg)
{
    int i = (int)(long)arg;
    slot[i] = i + 1;
    /* the bug: no barrier here */
    seen[i] = slot[(i + 1) % N];
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    for (long i = 0; i < N; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    int bad = 0;
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < N; i++)
        bad += seen[i] != (i + 1) % N + 1;
    printf("bad %d\n", bad);
    return bad ? 1 : 0;
}
