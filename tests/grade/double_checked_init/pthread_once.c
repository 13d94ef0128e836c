/* A correct fix in another style: pthread_once runs make_table exactly once,
 * and every caller returns only after it has finished. TSan agrees;
 * Helgrind does not see the ordering pthread_once gives and reports the
 * table's reads as races: a tool limitation the grader's policy forgives.
 * grade-expect: score=100 policy=yes
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 64

static long long *table; /* squares 0..size-1; set once, by make_table */
static long table_size;

static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void make_table(void)
{
    long long *t = calloc((size_t)table_size, sizeof *t);
    if (!t) {
        fputs("out of memory\n", stderr);
        exit(1);
    }
    for (long i = 0; i < table_size; i++)
        t[i] = (long long)i * i;
    table = t;
}

static const long long *get_table(void)
{
    pthread_once(&table_once, make_table); /* the first caller makes it; the others wait */
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
