/* sem_mutex_first: the same buffer with the mutex taken BEFORE the
 * semaphore wait: a producer that finds the buffer full sleeps holding
 * the mutex, and the consumer that would make room waits for that mutex.
 *
 * check-expect: 1 explore: 1 finding.*deadlock.*waits on semaphore.*waits to lock
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define SLOTS 2
#define ITEMS 6

static sem_t free_slots, filled;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int buf[SLOTS], in, out, sum;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&m);
        sem_wait(&free_slots); /* the bug: waiting with the mutex held */
        buf[in] = i;
        in = (in + 1) % SLOTS;
        sem_post(&filled);
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITEMS; i++) {
        pthread_mutex_lock(&m);
        sem_wait(&filled);
        sum += buf[out];
        out = (out + 1) % SLOTS;
        sem_post(&free_slots);
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

int main(void)
{
    sem_init(&free_slots, 0, SLOTS);
    sem_init(&filled, 0, 0);
    pthread_t p, c;
    pthread_create(&p, NULL, producer, NULL);
    pthread_create(&c, NULL, consumer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    printf("sum %d\n", sum);
    return 0;
}
