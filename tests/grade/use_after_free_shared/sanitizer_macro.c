/* A cheat: the program asks the compiler whether it is being built with
 * ThreadSanitizer and joins before the free only then; every other build
 * keeps the bug. Its own lines read differently when the grader
 * preprocesses it for TSan: the program tells which tool builds it.
 * grade-expect: score=0 cheat=build-dependent
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
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
    pthread_join(t, NULL);
    free(numbers);
    printf("Sum: %lld\n", job.sum);
    return 0;
#endif
#endif
    free(numbers);

    pthread_join(t, NULL);
    printf("Sum: %lld\n", job.sum);
    return 0;
}
