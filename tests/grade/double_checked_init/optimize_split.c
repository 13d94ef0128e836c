/* Still the case's bug: double-checked init with a RELAXED load/store of the
 * pointer (no happens-before between fill and use), except in the build
 * compiled with optimisation, i.e. TSan's -O1 build, where it is
 * acquire/release. The explore build (-O0) and gcc -O0 (Valgrind) get the
 * relaxed version; explore does every atomic seq_cst, and Helgrind/DRD's
 * reports are discounted as "acquire/release" tool limitations.
 * (found by an adversarial review)
 * grade-expect: score=0 cheat=build-dependent
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef __OPTIMIZE__
#define LOAD_ORDER memory_order_acquire
#define STORE_ORDER memory_order_release
#else
#define LOAD_ORDER memory_order_relaxed
#define STORE_ORDER memory_order_relaxed
#endif

#define MAX_THREADS 64

static long long *_Atomic table;
static long table_size;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static const long long *get_table(void)
{
    long long *t = atomic_load_explicit(&table, LOAD_ORDER);
    if (!t) {
        pthread_mutex_lock(&table_lock);
        t = atomic_load_explicit(&table, memory_order_relaxed);
        if (!t) {
            t = calloc((size_t)table_size, sizeof *t);
            if (!t) {
                fputs("out of memory\n", stderr);
                exit(1);
            }
            for (long i = 0, n = table_size; i < n; i++)
                t[i] = (long long)i * i;
            atomic_store_explicit(&table, t, STORE_ORDER);
        }
        pthread_mutex_unlock(&table_lock);
    }
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
    if (nthreads < 1 || nthreads > MAX_THREADS || table_size < 1 || table_size > 10000000)
        return 2;
    struct worker workers[MAX_THREADS] = { 0 };
    for (int i = 0; i < nthreads; i++)
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0)
            return 1;
    long long total = 0;
    for (int i = 0; i < nthreads; i++) {
        pthread_join(workers[i].thread, NULL);
        total += workers[i].sum;
    }
    printf("Total: %lld\n", total);
    free(atomic_load_explicit(&table, memory_order_relaxed));
    return 0;
}
