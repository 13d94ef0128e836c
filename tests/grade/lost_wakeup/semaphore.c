/* A correct fix in another style: a semaphore instead of the condition
 * variable. The loader posts it once the sum is ready; main waits on it. A
 * semaphore counts: a post made before anyone waits is kept, so main's wait
 * returns at once (the flag and the loop of the reference fix, built in).
 * grade-expect: score=100
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sem_t ready; /* posted once the table is loaded */
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
        struct timespec nap = { 0, 100 * 1000 * 1000 }; /* reading the file */
        nanosleep(&nap, NULL);
    }
    long n = job->n;
    long long sum = 0;
    for (long i = 1; i <= n; i++)
        sum += i;
    job->sum = sum;

    sem_post(&ready); /* counted, even if main is not waiting yet */

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
    sem_init(&ready, 0, 0);

    pthread_t t;
    if (pthread_create(&t, NULL, loader, &job) != 0) {
        fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
        return 1;
    }
    if (hang)
        pthread_barrier_wait(&signalled); /* the loader has signalled by now */
    for (long i = 0; i < 100; i++) /* meanwhile, main's own work */
        squares[i] = i * i;

    while (sem_wait(&ready) != 0) /* only a signal handler could interrupt it */
        ;

    pthread_join(t, NULL);
    long long sq = 0;
    for (long i = 0; i < 100; i++)
        sq += squares[i];
    printf("Squares below 100: %lld\n", sq);
    printf("Sum: %lld\n", job.sum);
    return 0;
}
