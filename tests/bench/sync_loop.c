/* sync_loop: N lock/unlock pairs of an uncontended mutex in one thread, and
 * N atomic increments in two: what one synchronisation event and one
 * instrumented access cost under explore against a plain run (ci/bench-
 * explore.sh times it both ways). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static atomic_long hits;
static long n;

static void *adder(void *arg)
{
    (void)arg;
    for (long i = 0; i < n; i++)
        atomic_fetch_add_explicit(&hits, 1, memory_order_relaxed);
    return NULL;
}

int main(int argc, char **argv)
{
    n = argc > 1 ? atol(argv[1]) : 100000;
    const char *what = argc > 2 ? argv[2] : "lock";
    if (what[0] == 'l') {
        for (long i = 0; i < n; i++) {
            pthread_mutex_lock(&m);
            pthread_mutex_unlock(&m);
        }
    } else {
        pthread_t a, b;
        pthread_create(&a, NULL, adder, NULL);
        pthread_create(&b, NULL, adder, NULL);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
    }
    printf("%ld\n", (long)atomic_load(&hits));
    return 0;
}
