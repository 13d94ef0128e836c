/* A wrong fix with no data race: the read and the write are each under the
 * lock, but in two separate critical sections, so another thread can run
 * between them and an update is lost (an atomicity violation). No
 * detector sees it; the answer check does.
 * grade-expect: score=67 passed=compile,tsan,helgrind,drd failed=explore
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

static long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    long iters = *(const long *)arg;
    for (long i = 0; i < iters; i++) {
        pthread_mutex_lock(&lock);
        long v = counter; /* READ */
        pthread_mutex_unlock(&lock);
        sched_yield(); /* the window between the two critical sections */
        pthread_mutex_lock(&lock);
        counter = v + 1; /* WRITE: another thread's update may be lost */
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int n = atoi(argv[1]);
    long iters = atol(argv[2]);
    if (n < 1 || n > 64)
        return 2;
    pthread_t t[64];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, worker, &iters);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    printf("Counter: %ld\n", counter);
    return 0;
}
