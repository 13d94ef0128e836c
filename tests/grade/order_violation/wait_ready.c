/* A correct fix in another style: main still sets the settings up after
 * starting the workers, but now each worker waits for them: a `ready` flag
 * under a mutex, a condition variable main broadcasts, a `while` around
 * the wait. The mutex orders main's setup before every worker's use.
 * grade-expect: score=100
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 64

struct settings {
    long multiplier;
};

static struct settings *settings; /* read only once `ready` is set */
static pthread_mutex_t settings_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t settings_ready = PTHREAD_COND_INITIALIZER;
static int ready;

struct worker {
    pthread_t thread;
    long lo, hi;      /* my slice: lo..hi */
    long long result;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    pthread_mutex_lock(&settings_lock);
    while (!ready)
        pthread_cond_wait(&settings_ready, &settings_lock);
    long m = settings->multiplier;
    pthread_mutex_unlock(&settings_lock);

    long long sum = 0;
    for (long k = w->lo; k <= w->hi; k++)
        sum += k;
    w->result = sum * m;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s THREADS N\n", argv[0]);
        return 2;
    }
    int nthreads = atoi(argv[1]);
    long n = atol(argv[2]);
    if (nthreads < 1 || nthreads > MAX_THREADS || n < 0 || n > 1000000000) {
        fprintf(stderr, "order_violation: THREADS must be 1..%d, N 0..1000000000\n", MAX_THREADS);
        return 2;
    }

    struct worker workers[MAX_THREADS];
    for (int i = 0; i < nthreads; i++) {
        workers[i].lo = n * i / nthreads + 1;
        workers[i].hi = n * (i + 1) / nthreads;
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }

    /* Set up the settings the workers use: too late, they are running. */
    struct settings *s = malloc(sizeof *s);
    if (!s) {
        fputs("out of memory\n", stderr);
        return 1;
    }
    pthread_mutex_lock(&settings_lock);
    s->multiplier = 3;
    settings = s;
    ready = 1;
    pthread_cond_broadcast(&settings_ready);
    pthread_mutex_unlock(&settings_lock);

    long long total = 0;
    for (int i = 0; i < nthreads; i++) {
        pthread_join(workers[i].thread, NULL);
        total += workers[i].result;
    }
    printf("Total: %lld\n", total);
    settings = NULL;
    free(s);
    return 0;
}
