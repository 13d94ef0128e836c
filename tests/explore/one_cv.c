/* one_cv: a one-slot producer/consumer with ONE condition variable for
 * both "not full" and "not empty", and signal instead of broadcast: a
 * consumer's signal can wake the other consumer instead of the producer,
 * and then every thread waits: all asleep (the classic one-condvar bug).
 *
 * check-expect: 1 explore: 1 finding.*deadlock.*every thread is blocked.*waits on condition
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER; /* the bug: one for both conditions */
static int full, value;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 4; i++) {
        pthread_mutex_lock(&m);
        while (full)
            pthread_cond_wait(&cv, &m);
        value = i;
        full = 1;
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2; i++) {
        pthread_mutex_lock(&m);
        while (!full)
            pthread_cond_wait(&cv, &m);
        full = 0;
        pthread_cond_signal(&cv); /* may wake the other consumer, not the producer */
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

int main(void)
{
    pthread_t p, c[2];
    pthread_create(&c[0], NULL, consumer, NULL);
    pthread_create(&c[1], NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c[0], NULL);
    pthread_join(c[1], NULL);
    printf("last value %d\n", value);
    return 0;
}
