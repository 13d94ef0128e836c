/* trylock_backoff: one thread takes a then b; the other takes b, then
 * only tries a, and backs off when it is busy. It cannot deadlock; TSan
 * agrees. Helgrind counts the trylock as an acquisition and reports a
 * lock-order violation: a known tool limitation. */
#include <pthread.h>
#include <sched.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int shared;

static void *a_then_b(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b);
    shared++;
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    return NULL;
}

static void *b_then_try_a(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&b);
        if (pthread_mutex_trylock(&a) == 0) /* never waits for a while holding b */
            break;
        pthread_mutex_unlock(&b);
        sched_yield();
    }
    shared++;
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    return NULL;
}

int main(void)
{
    pthread_t x, y;
    pthread_create(&x, NULL, a_then_b, NULL);
    pthread_join(x, NULL);
    pthread_create(&y, NULL, b_then_try_a, NULL);
    pthread_join(y, NULL);
    return shared == 2 ? 0 : 1;
}
