/* timed_abort: the worker's timedlock gives up after 1 ms while main holds
 * the mutex for long, and the worker then aborts: in every real run. No
 * time passes under explore, so its bounded search never takes the
 * timeout path: it must say "not complete", never "verified". */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
volatile long sink;
static void *w(void *x) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 1000000; if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
    if (pthread_mutex_timedlock(&m, &ts) != 0) abort();
    pthread_mutex_unlock(&m);
    return x;
}
int main(void) {
    pthread_mutex_lock(&m);
    pthread_t t;
    pthread_create(&t, NULL, w, NULL);
    for (long i = 0; i < 20; i++) sink += i; /* a long computation (few points) */
    struct timespec d = {0, 50000000}; /* plus real time: a 50 ms sleep */
    nanosleep(&d, NULL);
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    return 0;
}
