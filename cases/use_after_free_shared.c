/*
 * use_after_free_shared: a use after free across threads: main frees a
 * buffer that a worker it started is still going to read.
 *
 * What it does
 *   main fills a buffer with the numbers 1..N, starts a worker thread to
 *   add them up, and hands it the buffer. Thinking the buffer is the
 *   worker's business now, main frees it right away and then joins the
 *   worker and prints its sum: N*(N+1)/2. The worker takes a moment to get
 *   going (a 100 ms nap stands in for opening its output file) and then
 *   reads the buffer.
 *   (The course notes: "The start() function returns immediately ... It
 *   does NOT wait for T1 to actually start executing." Handing a pointer
 *   to a thread hands over nothing: main still decides when the memory
 *   dies, and it frees it before the worker has even started. The notes
 *   call join the moment "the OS wakes up the main thread"; freeing shared
 *   memory belongs after it.)
 *
 * Where the bug is
 *   @free comes before the worker's reads (@read), and nothing orders them
 *   the other way. Freed memory goes back to malloc, which writes its own
 *   bookkeeping into it (glibc puts a small freed block on a per-thread
 *   list and stores the list's pointers in its first bytes) and hands it
 *   out again to the next malloc of that size: the worker adds up malloc's
 *   pointers instead of the first numbers. With the nap the worker always
 *   reads late; without it, it would read early or late depending on the
 *   scheduler, and a crash, garbage or the right answer are all possible.
 *
 * What the tools say
 *   TSan reports heap-use-after-free: the worker's read (@read) of a block
 *   main freed (@free), in another thread, with nothing ordering the two.
 *   (Had the worker read first and main freed afterwards, TSan would call
 *   the same bug a data race, at the same two lines; the nap makes it the
 *   first kind in every run.)
 *   memcheck reports InvalidRead at @read, inside a block freed at @free
 *   and allocated at @alloc: memcheck does not reuse freed memory at once,
 *   so it sees every read of it.
 *   Helgrind and DRD are blind: they look for unordered accesses and for
 *   misused locks, and neither counts free() as an access to the block.
 *   explore and native runs show the wrong sum when the worker reads after
 *   the free (explore replays the schedule, not the sum: malloc's pointers
 *   move with ASLR).
 *
 * How the fix differs (fixed/use_after_free_shared.c)
 *   main joins the worker before it frees the buffer: pthread_join returns
 *   only when the worker has finished, so every read happens before the
 *   free. When several threads share a buffer and nobody knows who is last,
 *   a reference count (decremented under a lock or atomically; the thread
 *   that takes it to 0 frees) does the same job.
 *
 * racelab:
 *   class:    use-after-free
 *   params:   n=100
 *   verify:   n=2
 *   grade:    n=10..120
 *   stress:   n=100
 *   output:   Sum: {n * (n + 1) / 2}
 *   creates:  1
 *   tsan:     heap-use-after-free @read @free @alloc
 *   helgrind: blind -- it looks for unordered accesses and lock misuse, and free() is neither to it
 *   drd:      blind -- it looks for unordered accesses and API misuse, and free() is neither to it
 *   memcheck: InvalidRead @read @free @alloc
 *   explore:  wrong-answer
 *   native:   wrong-answer
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
        sum += job->numbers[i]; /* @read: is the buffer still there? */
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

    long *numbers = malloc((size_t)n * sizeof *numbers); /* @alloc */
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
    free(numbers); /* @free: the worker has it now... or has it? */

    pthread_join(t, NULL);
    printf("Sum: %lld\n", job.sum);
    return 0;
}
