/* A cheat: the textbook double-checked locking with a CPU fence in inline
 * assembly after the fill and after the first check. The detectors and the
 * scheduler do not see what assembly does, and a fence in asm is not a C
 * synchronisation: the check is still a race in C's memory model.
 * grade-expect: score=0 cheat=inline-asm
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 64

static long long *table; /* squares 0..size-1; NULL until first use */
static long table_size;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static const long long *get_table(void)
{
    long long *seen = table;
    __asm__ __volatile__("mfence" ::: "memory"); /* the pointer before the contents */
    if (!seen) {
        pthread_mutex_lock(&table_lock);
        if (!table) { /* again, under the lock: someone may have made it */
            long long *t = calloc((size_t)table_size, sizeof *t);
            if (!t) {
                fputs("out of memory\n", stderr);
                exit(1);
            }
            for (long i = 0; i < table_size; i++)
                t[i] = (long long)i * i;
            __asm__ __volatile__("mfence" ::: "memory"); /* the fill before the pointer */
            table = t;
        }
        pthread_mutex_unlock(&table_lock);
    }
    return table;
}

struct worker {
    pthread_t thread;
    long long sum;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    const long long *t = get_table();

    for (long i = 0; i < table_size; i++)
        w->sum += t[i];
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
