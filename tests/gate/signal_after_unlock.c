/* signal_after_unlock: the worker sets the flag under the mutex, unlocks,
 * then signals the condition. POSIX allows it (the waiter re-checks the
 * flag under the mutex). Helgrind ("dubious: associated lock is not held")
 * and DRD (CondRaceErr) report it: known tool limitations. */
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int done;

static void *worker(void *arg)
{
    (void)arg;
    usleep(100000); /* main is waiting by now */
    pthread_mutex_lock(&m);
    done = 1;
    pthread_mutex_unlock(&m);
    pthread_cond_signal(&c); /* after the unlock */
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_mutex_lock(&m);
    while (!done)
        pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    return 0;
}
