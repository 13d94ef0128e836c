/* barrier_phases: workers fill their own slot, then read their right
 * neighbour's: correct only because a barrier separates the phases.
 *
 * check-expect: 0 explore: clean in 100 schedules
 */
#include <pthread.h>
#include <stdio.h>

#define N 3

static pthread_barrier_t phase;
static int slot[N], seen[N];

static void *worker(void *arg)
{
    int i = (int)(long)arg;
    slot[i] = i + 1;
    pthread_barrier_wait(&phase);
    seen[i] = slot[(i + 1) % N];
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    pthread_barrier_init(&phase, NULL, N);
    for (long i = 0; i < N; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    int bad = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
    }
    for (int i = 0; i < N; i++)
        bad += seen[i] != (i + 1) % N + 1;
    printf("bad %d\n", bad);
    return bad ? 1 : 0;
}
