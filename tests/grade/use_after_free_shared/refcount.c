/* A correct fix in another style: a reference count. main and the worker
 * each hold a reference to the buffer; each drops its reference when done,
 * with atomic_fetch_sub, and the one that drops the last frees it. main
 * can let go early; whoever is last, the free comes after every read.
 * grade-expect: score=100
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct job {
    long *numbers;
    long n;
    long long sum;
    atomic_int refs; /* holders of numbers: main and the worker */
};

/* Drops one reference; the last holder frees the buffer. */
static void job_release(struct job *job)
{
    if (atomic_fetch_sub(&job->refs, 1) == 1)
        free(job->numbers);
}

static void *adder(void *arg)
{
    struct job *job = arg;
    struct timespec nap = { 0, 100 * 1000 * 1000 }; /* opening the output file */
    nanosleep(&nap, NULL);

    long long sum = 0;
    for (long i = 0; i < job->n; i++)
        sum += job->numbers[i]; /* we hold a reference: it is there */
    job->sum = sum;
    job_release(job);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s N\n", argv[0]);
        return 2;
    }
    long n = atol(argv[1]);
    if (n < 1 || n > 1000000) {
        fprintf(stderr, "use_after_free_shared: N must be 1..1000000\n");
        return 2;
    }

    long *numbers = malloc((size_t)n * sizeof *numbers);
    if (!numbers) {
        fputs("out of memory\n", stderr);
        return 1;
    }
    for (long i = 0; i < n; i++)
        numbers[i] = i + 1;

    struct job job = { numbers, n, 0, 2 };
    pthread_t t;
    if (pthread_create(&t, NULL, adder, &job) != 0) {
        fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
        return 1;
    }
    job_release(&job); /* main is done with it; freed by whoever is last */

    pthread_join(t, NULL);
    printf("Sum: %lld\n", job.sum);
    return 0;
}
