/* timed_gate: a REAL lock-order deadlock. Both workers take a and b in
 * opposite orders under a gate g -- but the second worker only waits
 * 50 ms for the gate and then goes on without it ("degraded mode"), while
 * the first holds g for 100 ms before it takes a and b. In a real run the
 * second worker takes b then a with no gate while the first holds g: if
 * the first is between lock(a) and lock(b) then, the two deadlock. The
 * runs here do not hang (the first sleeps before lock(a)), but TSan and
 * Helgrind see the inversion.
 * Expected: exit 1. Once exit 0: no time passes under explore, so the
 * timed lock of g always succeeded there and its gated-cycle evidence had
 * the lines of the ungated instance TSan saw. Now a call with a time
 * limit marks explore's evidence incomplete. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int shared, degraded;

static void *first(void *arg)
{
    pthread_mutex_lock(&g);
    usleep(100000); /* slow work under the gate */
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b); /* @ab */
    shared++;
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&g);
    return arg;
}

static void *second(void *arg)
{
    usleep(10000);
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += 50000000;
    if (t.tv_nsec >= 1000000000) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000;
    }
    int got = pthread_mutex_timedlock(&g, &t) == 0;
    degraded = !got; /* the bug: go on without the gate */
    pthread_mutex_lock(&b);
    pthread_mutex_lock(&a); /* @ba */
    shared++;
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    if (got)
        pthread_mutex_unlock(&g);
    return arg;
}

int main(void)
{
    pthread_t t1, t2;
    pthread_create(&t1, NULL, first, NULL);
    pthread_create(&t2, NULL, second, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("shared=%d degraded=%d\n", shared, degraded);
    return 0;
}
