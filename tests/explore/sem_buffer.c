/* sem_buffer: the course notes' bounded buffer with two counting
 * semaphores (free slots, filled slots) and a mutex taken after the wait.
 * Correct: clean, and every item arrives.
 *
 * check-expect: 0 explore: clean in 100 schedules
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
        sem_wait(&free_slots);
        pthread_mutex_lock(&m);
        buf[in] = i;
        in = (in + 1) % SLOTS;
        pthread_mutex_unlock(&m);
        sem_post(&filled);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITEMS; i++) {
        sem_wait(&filled);
        pthread_mutex_lock(&m);
        sum += buf[out];
        out = (out + 1) % SLOTS;
        pthread_mutex_unlock(&m);
        sem_post(&free_slots);
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
    return sum == ITEMS * (ITEMS + 1) / 2 ? 0 : 1;
}
