/* lost_signal: the notifier signals before the waiter waits, and the
 * waiter waits with no predicate to check: the signal is lost and the
 * waiter sleeps forever (the course notes' Event done wrong).
 *
 * check-expect: 1 explore: 1 finding.*deadlock.*waits on condition 'done'
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;

static void *notifier(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    pthread_cond_signal(&done); /* nobody may be waiting yet */
    pthread_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, notifier, NULL);
    pthread_mutex_lock(&m);
    pthread_cond_wait(&done, &m); /* the bug: no flag, no loop */
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    puts("notified");
    return 0;
}
