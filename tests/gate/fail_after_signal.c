/* fail_after_signal: a program that FAILS (exit status 1: its own result
 * check fails). On the way it signals a condition variable after
 * unlocking its mutex: Helgrind's "dubious: associated lock is not held"
 * and DRD's CondRaceErr, known tool limitations that toollimits dismisses
 * with no evidence needed.
 * Expected (--tools helgrind,drd): undecided, exit 3 -- the program failed
 * and nothing real was found. Once exit 0: the dismissed findings let the
 * run be judged, and none counted. Now findings that all are limitations
 * or baselined decide nothing. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int ready, result;

static void *producer(void *arg)
{
    usleep(100000); /* main waits first */
    pthread_mutex_lock(&m);
    ready = 1;
    result = 41; /* the bug: should be 42 */
    pthread_mutex_unlock(&m);
    pthread_cond_signal(&c); /* after the unlock: allowed by POSIX */
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, producer, NULL);
    pthread_mutex_lock(&m);
    while (!ready)
        pthread_cond_wait(&c, &m);
    int r = result;
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    if (r != 42) {
        fprintf(stderr, "FAIL: result %d\n", r);
        return 1;
    }
    return 0;
}
