/* A wrong fix: a longer nap. It makes the wrong answer rarer; it still
 * orders nothing, and nobody harvests the finished threads.
 * grade-expect: score=10 passed=compile failed=tsan,helgrind,drd,memcheck,explore */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_THREADS 64

struct chunk {
    int id;
    long from, to;
};

static struct chunk chunks[MAX_THREADS];
static long partial[MAX_THREADS];


static void *sum_chunk(void *arg)
{
    const struct chunk *c = arg;
    long sum = 0;
    for (long k = c->from; k <= c->to; k++)
        sum += k;
    partial[c->id] = sum;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int nthreads = atoi(argv[1]);
    long n = atol(argv[2]);
    if (nthreads < 1 || nthreads > MAX_THREADS || n < 0)
        return 2;
    pthread_t threads[MAX_THREADS];
    for (int i = 0; i < nthreads; i++) {
        chunks[i] = (struct chunk){i, n * i / nthreads + 1, n * (i + 1) / nthreads};
        pthread_create(&threads[i], NULL, sum_chunk, &chunks[i]);
    }
    nanosleep(&(struct timespec){0, 300 * 1000 * 1000}, NULL);
    long total = 0;
    for (int i = 0; i < nthreads; i++)
        total += partial[i];
    printf("Sum: %ld\n", total);
    return 0;
}
