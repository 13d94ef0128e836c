/* A correct fix in another style: a read-write lock. Every call takes the
 * read lock to look at the table (many readers at once); only a caller that
 * finds no table takes the write lock, checks again and makes it. Every
 * access to `table` holds one side of the lock: no race, and no tool
 * limitation involved.
 * grade-expect: score=100
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 64

static long long *table; /* squares 0..size-1; NULL until first use; guarded by table_lock */
static long table_size;
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;

static const long long *get_table(void)
{
    pthread_rwlock_rdlock(&table_lock);
    const long long *t = table;
    pthread_rwlock_unlock(&table_lock);
    if (t)
        return t;

    pthread_rwlock_wrlock(&table_lock);
    if (!table) { /* again: another caller may have made it meanwhile */
        long long *made = calloc((size_t)table_size, sizeof *made);
        if (!made) {
            fputs("out of memory\n", stderr);
            exit(1);
        }
        for (long i = 0; i < table_size; i++)
            made[i] = (long long)i * i;
        table = made;
    }
    t = table;
    pthread_rwlock_unlock(&table_lock);
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
