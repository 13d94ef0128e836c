/* A correct fix in another style: a barrier built by hand from a mutex, a
 * condition variable and an arrival count with a generation number (so it
 * can be reused), waited on between the phases. Unlock and lock order the
 * phase-1 writes before the phase-2 reads, as pthread_barrier_wait does.
 * grade-expect: score=100
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 32

static long long partial[MAX_THREADS]; /* phase 1: worker i's sum, in slot i */
static pthread_barrier_t barrier;

/* A reusable barrier: the last to arrive starts a new generation. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t all_here;
    int arrived;
    unsigned long generation;
} meet = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };

static void meet_wait(int parties)
{
    pthread_mutex_lock(&meet.lock);
    unsigned long gen = meet.generation;
    if (++meet.arrived == parties) {
        meet.arrived = 0;
        meet.generation++;
        pthread_cond_broadcast(&meet.all_here);
    } else {
        while (gen == meet.generation)
            pthread_cond_wait(&meet.all_here, &meet.lock);
    }
    pthread_mutex_unlock(&meet.lock);
}
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
    partial[w->id] = sum;
    meet_wait(nthreads); /* every slot is written past this point */

    /* Phase 2: everyone's results. The barrier is not used again here. */
    long long total = 0;
    for (int j = 0; j < nthreads; j++)
        total += partial[j];
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
