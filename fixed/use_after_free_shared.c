/*
 * use_after_free_shared, fixed: main joins the worker before it frees the
 * buffer the worker reads.
 * Must show: clean under every tool; Sum: N*(N+1)/2 in every run.
 *
 * The fix
 *   Two lines swap: pthread_join, then free. pthread_join returns only
 *   when the worker has returned, and it orders everything the worker did
 *   before main's next line, so every read of the buffer happens before
 *   the free. The rule: memory shared with a thread may be freed only by
 *   the last thread to use it, once it knows it is the last; join is the
 *   simplest way to know. (Python's garbage collector counts references
 *   for you; C does not.)
 *
 *   When no single thread can know (several workers share a buffer and
 *   finish in any order), give the buffer a reference count: each user
 *   decrements it when done, atomically (atomic_fetch_sub) or under a lock,
 *   and the one that takes it to zero frees the buffer.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct job {
    const long *numbers;
    long n;
    long long sum;
};

static void *adder(void *arg)
{
    struct job *job = arg;
    struct timespec nap = { 0, 100 * 1000 * 1000 }; /* opening the output file */
    nanosleep(&nap, NULL);

    long long sum = 0;
    for (long i = 0, n = job->n; i < n; i++)
        sum += job->numbers[i]; /* main frees the buffer only after joining us */
    job->sum = sum;
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

    struct job job = { numbers, n, 0 };
    pthread_t t;
    if (pthread_create(&t, NULL, adder, &job) != 0) {
        fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
        return 1;
    }
    pthread_join(t, NULL); /* the worker is done with the buffer ... */
    free(numbers);         /* ... so now it can go */
    printf("Sum: %lld\n", job.sum);
    return 0;
}
