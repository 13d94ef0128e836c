/* A wrong fix: main naps 300 ms before the free, "long enough for the
 * worker to finish". Natively it is; but a sleep orders nothing: the free
 * is still unordered with the reads (TSan reports the race), and on a loaded
 * machine, or under explore, the worker still reads freed memory.
 * grade-expect: failed=tsan,explore passed=compile
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
    for (long i = 0; i < job->n; i++)
        sum += job->numbers[i];
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
    struct timespec wait = { 0, 300 * 1000 * 1000 }; /* the worker is done by now */
    nanosleep(&wait, NULL);
    free(numbers);

    pthread_join(t, NULL);
    printf("Sum: %lld\n", job.sum);
    return 0;
}
