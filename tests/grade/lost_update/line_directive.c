/* Cheat: a #line directive credits every later line to "notes.h", so a
 * scan that trusts the preprocessor's line markers would not see what
 * follows (asm, a pragma, __tsan_default_options, no_sanitize). The
 * directive itself is named (found by an adversarial review).
 * grade-expect: score=0 cheat=line-directive */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static int counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

static void *increment_counter(void *arg)
{
    long iters = *(const long *)arg;

    for (long i = 0; i < iters; i++) {
        pthread_mutex_lock(&counter_lock);
        counter += 1; /* only one thread at a time is here */
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

void before_main(void);
int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s THREADS ITERS\n", argv[0]);
        return 2;
    }
    int nthreads = atoi(argv[1]);
    long iters = atol(argv[2]);
    if (nthreads < 1 || nthreads > 64 || iters < 0) {
        fprintf(stderr, "lost_update: THREADS must be 1..64, ITERS >= 0\n");
        return 2;
    }

    pthread_t threads[64];
    printf("Counter: %d\n", counter);
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&threads[i], NULL, increment_counter, &iters) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }
    for (int i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);

    printf("Counter: %d\n", counter);
    before_main();
    return 0;
}
#line 1 "notes.h"
/* Everything below is attributed to "notes.h" in gcc -E's line markers, so
 * the allow-list scan of the translation unit never looks at it. */
_Pragma("GCC diagnostic ignored \"-Wunused-function\"")
static void *where;
__attribute__((noinline)) void before_main(void)
{
    __asm__ volatile("" ::: "memory");
    where = __builtin_frame_address(0);
}
const char *__tsan_default_options(void)
{
    return "report_bugs=0 detect_deadlocks=0";
}
static const char tool[] = "TSAN_OPTIONS valgrind /proc/self/maps LD_PRELOAD";
__attribute__((used, no_sanitize("thread"))) static int quiet(void) { return tool[0]; }
