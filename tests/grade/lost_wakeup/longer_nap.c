/* A wrong fix: the loader naps 500 ms instead of 100 before it signals,
 * "so that main is surely waiting by then". Natively it always is; but a
 * sleep orders nothing, and a loaded machine (or explore, where a sleep
 * takes no time) still lets the signal come first and main sleep forever.
 * grade-expect: failed=explore passed=compile score<=10
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER; /* "the table is loaded" */
static pthread_barrier_t signalled; /* --hang only: main waits until the loader signalled */
static bool hang;
static long squares[100]; /* main's own work, done while the loader loads */

struct job {
    long n;
    long long sum;
};

static void *loader(void *arg)
{
    struct job *job = arg;

    if (!hang) {
        struct timespec nap = { 0, 500 * 1000 * 1000 }; /* long enough for main to wait */
        nanosleep(&nap, NULL);
    }
    long n = job->n;
    long long sum = 0;
    for (long i = 1; i <= n; i++)
        sum += i;
    job->sum = sum;

    pthread_mutex_lock(&lock);
    pthread_cond_signal(&ready);
    pthread_mutex_unlock(&lock);

    if (hang)
        pthread_barrier_wait(&signalled);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--hang") != 0)) {
        fprintf(stderr, "usage: %s N [--hang]\n", argv[0]);
        return 2;
    }
    struct job job = { .n = atol(argv[1]) };
    hang = argc == 3;
    if (job.n < 0 || job.n > 100000000) {
        fprintf(stderr, "lost_wakeup: N must be 0..100000000\n");
        return 2;
    }
    if (hang)
        pthread_barrier_init(&signalled, NULL, 2);

    pthread_t t;
    if (pthread_create(&t, NULL, loader, &job) != 0) {
        fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
        return 1;
    }
    if (hang)
        pthread_barrier_wait(&signalled); /* the loader has signalled by now */
    for (long i = 0; i < 100; i++) /* meanwhile, main's own work */
        squares[i] = i * i;

    pthread_mutex_lock(&lock);
    pthread_cond_wait(&ready, &lock);
    pthread_mutex_unlock(&lock);

    pthread_join(t, NULL);
    long long sq = 0;
    for (long i = 0; i < 100; i++)
        sq += squares[i];
    printf("Squares below 100: %lld\n", sq);
    printf("Sum: %lld\n", job.sum);
    return 0;
}
