/*
 * double_checked_init, fixed: the check takes the lock too, so every thread
 * that gets the table got it from under the lock, after it was filled.
 * Must show: clean under every tool; Total: THREADS * sum of squares in every run.
 *
 * The fix
 *   get_table() locks, checks, makes the table if it is missing (filling
 *   it before publishing it), reads the pointer and unlocks. The
 *   initialiser's unlock happens before every later caller's lock, so the
 *   filled table is visible to all of them, and no access to `table` is
 *   made without the lock. The cost is one uncontended lock per call;
 *   a worker calls it once and keeps the pointer. (Python: `with lock: if
 *   table is None: table = make_table()`; with the GIL it is the usual
 *   idiom.)
 *
 * The two faster fixes, and why this one is the lab's reference
 *   - pthread_once(&once, make_table): POSIX runs the initialiser once and
 *     every caller returns only after it has finished. Correct, and TSan
 *     agrees; Helgrind (Valgrind 3.19, glibc 2.36) does not see the
 *     ordering pthread_once gives and reports a race on the table.
 *   - An _Atomic pointer: fill a local table, then
 *     atomic_store_explicit(&table, t, memory_order_release); readers
 *     atomic_load_explicit(&table, memory_order_acquire) and take the lock
 *     only on NULL. This is double-checked locking done right (C11 gives
 *     the ordering that the plain pointer lacked). TSan agrees; Helgrind and
 *     DRD do not understand acquire/release on plain data and report races
 *     on the table's contents.
 *   A reference fix must be clean under every tool, so it takes the lock;
 *   the grader knows the two tool limitations above and accepts either
 *   faster fix (docs/grade.md).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 64

static long long *table; /* squares 0..size-1; NULL until first use; guarded by table_lock */
static long table_size;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static const long long *get_table(void)
{
    pthread_mutex_lock(&table_lock); /* the check too is under the lock */
    if (!table) {
        long long *t = calloc((size_t)table_size, sizeof *t);
        if (!t) {
            fputs("out of memory\n", stderr);
            exit(1);
        }
        for (long i = 0, n = table_size; i < n; i++)
            t[i] = (long long)i * i;
        table = t; /* published once it is whole (the lock orders it anyway) */
    }
    const long long *t = table;
    pthread_mutex_unlock(&table_lock);
    return t;
}

struct worker {
    pthread_t thread;
    long long sum;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    const long long *t = get_table();

    long long sum = 0;
    for (long i = 0, n = table_size; i < n; i++)
        sum += t[i];
    w->sum = sum;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s THREADS SIZE\n", argv[0]);
        return 2;
    }
    int nthreads = atoi(argv[1]);
    table_size = atol(argv[2]);
    if (nthreads < 1 || nthreads > MAX_THREADS || table_size < 1 || table_size > 10000000) {
        fprintf(stderr, "double_checked_init: THREADS must be 1..%d, SIZE 1..10000000\n", MAX_THREADS);
        return 2;
    }

    struct worker workers[MAX_THREADS] = { 0 };
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }
    long long total = 0;
    for (int i = 0; i < nthreads; i++) {
        pthread_join(workers[i].thread, NULL);
        total += workers[i].sum;
    }
    printf("Total: %lld\n", total);
    free(table);
    return 0;
}
