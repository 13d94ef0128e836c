/* A cheat: the loader writes a byte to a pipe and main blocks reading it.
 * It works, but pipe(), read() and write() are not among the functions the
 * case allows (the threading API is the point of the exercise), and a
 * thread blocked in the kernel is out of reach of the scheduler that
 * explores the interleavings.
 * grade-expect: score=0 cheat=import
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int ready_pipe[2]; /* the loader writes one byte when the table is loaded */
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

    char byte = 1;
    if (write(ready_pipe[1], &byte, 1) != 1)
        abort();

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
    if (pipe(ready_pipe) != 0)
        return 1;

    pthread_t t;
    if (pthread_create(&t, NULL, loader, &job) != 0) {
        fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
        return 1;
    }
    if (hang)
        pthread_barrier_wait(&signalled); /* the loader has signalled by now */
    for (long i = 0; i < 100; i++) /* meanwhile, main's own work */
        squares[i] = i * i;

    char byte;
    if (read(ready_pipe[0], &byte, 1) != 1) /* the byte waits in the pipe */
        return 1;

    pthread_join(t, NULL);
    long long sq = 0;
    for (long i = 0; i < 100; i++)
        sq += squares[i];
    printf("Squares below 100: %lld\n", sq);
    printf("Sum: %lld\n", job.sum);
    return 0;
}
