/*
 * double_checked_init: a data race in double-checked lazy initialisation:
 * the first check of a plain pointer is made without the lock, so a
 * thread can see the pointer before the table behind it is filled in.
 *
 * What it does
 *   A table of squares, 0, 1, 4, ..., (SIZE-1)^2, is made the first time
 *   anyone needs it (lazy initialisation), by get_table(). main starts
 *   THREADS workers; each gets the table and adds up all of it. main joins
 *   them and prints the grand total: THREADS times the sum of the squares.
 *   get_table() is the "double-checked" pattern: look at the pointer
 *   without the lock (fast, once the table exists); only if it is NULL,
 *   take the lock, look again (another thread may have made it meanwhile),
 *   and make the table.
 *   The course notes have no lazy-initialisation example. The nearest thing
 *   they have is their race, "one thread might read the value (e.g., 0),
 *   but before it can write 1, it gets paused": here one thread is half-way
 *   through making the table when another reads it.
 *
 * Where the bug is
 *   @check reads `table` without the lock while the initialising thread
 *   writes it under the lock (@publish): a data race, and the lock taken by
 *   one side only orders nothing. A thread whose @check sees the pointer
 *   skips the lock and reads the table (@use), with nothing ordering those
 *   reads after the writes that fill it (@fill). This program publishes the
 *   table and then fills it in place, so an early reader adds up zeros.
 *   Written the textbook way (fill a local pointer, then publish it) the
 *   race is the same: the compiler and a weakly ordered CPU may make the
 *   pointer visible before the contents, and C says the program's
 *   behaviour is undefined. Only the visible symptom depends on the order.
 *
 * What the tools say
 *   TSan, Helgrind and DRD report races on every run: on `table` (@check,
 *   or the second unlocked read at @return, against @publish), and, for a worker that used the table without the
 *   lock, on its contents (@use against @fill, or TSan against calloc's
 *   zeroing on the @publish line: TSan counts the zeroing as a write).
 *   Which of those come in a run depends on who was first, so the
 *   expectation accepts any pair of these lines. memcheck is blind: the
 *   table is valid, zeroed memory. explore and native runs show a short
 *   total when a worker reads the table before it is filled.
 *
 * How the fix differs (fixed/double_checked_init.c)
 *   get_table() takes the lock for the check too: one lock, one check,
 *   every call. Any thread that gets the pointer got it under the lock the
 *   initialiser released after filling the table, so it sees the whole
 *   table. The fast unlocked path needs an atomic pointer with release and
 *   acquire (or pthread_once); see the fixed file for why the lab's
 *   reference fix does not use them.
 *
 * racelab:
 *   class:    double-checked-init
 *   params:   threads=2 size=100
 *   verify:   threads=2 size=2
 *   grade:    threads=2..8 size=10..10000
 *   stress:   threads=8 size=1000000
 *   output:   Total: {(size - 1) * size * (2 * size - 1) / 6 * threads}
 *   creates:  {threads}
 *   tsan:     data-race @check @return @publish @fill @use
 *   helgrind: Race @check @return @publish @fill @use
 *   drd:      ConflictingAccess @check @return @publish @fill @use
 *   memcheck: blind -- the table is valid, zeroed memory: no memory is misused
 *   explore:  wrong-answer
 *   native:   wrong-answer
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
    if (!table) { /* @check: without the lock */
        pthread_mutex_lock(&table_lock);
        if (!table) { /* again, under the lock: someone may have made it */
            table = calloc((size_t)table_size, sizeof *table); /* @publish: visible before it is filled */
            if (!table) {
                fputs("out of memory\n", stderr);
                exit(1);
            }
            for (long i = 0, n = table_size; i < n; i++)
                table[i] = (long long)i * i; /* @fill */
        }
        pthread_mutex_unlock(&table_lock);
    }
    return table; /* @return: read again, without the lock */
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
        sum += t[i]; /* @use */
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
