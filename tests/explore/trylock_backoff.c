/* trylock_backoff: the second thread takes b, then only TRIES a; when a
 * is taken it lets go of b and starts again. The opposite order cannot
 * deadlock: a trylock never waits. Helgrind reports a lock order; explore
 * must not.
 *
 * check-expect: 0 explore: clean in 100 schedules
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int total;

static void *ab(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5; i++) {
        pthread_mutex_lock(&a);
        pthread_mutex_lock(&b);
        total++;
        pthread_mutex_unlock(&b);
        pthread_mutex_unlock(&a);
    }
    return NULL;
}

static void *ba_backoff(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5; i++) {
        for (;;) {
            pthread_mutex_lock(&b);
            if (pthread_mutex_trylock(&a) == 0)
                break;
            pthread_mutex_unlock(&b); /* back off, and try again */
            sched_yield();
        }
        total++;
        pthread_mutex_unlock(&a);
        pthread_mutex_unlock(&b);
    }
    return NULL;
}

int main(void)
{
    pthread_t t1, t2;
    pthread_create(&t1, NULL, ab, NULL);
    pthread_create(&t2, NULL, ba_backoff, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("total %d\n", total);
    return total == 10 ? 0 : 1;
}
