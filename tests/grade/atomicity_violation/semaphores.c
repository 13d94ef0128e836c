/* A correct fix, the course notes' second version: two counting
 * semaphores (free slots, filled slots) and a mutex around the buffer. The
 * semaphore wait is the check, and it reserves the slot or the item it
 * found, so nobody can act on a stale answer. Consumers stop on a "poison"
 * item, one per consumer, put by main.
 * grade-expect: score=100
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

#define CAPACITY 4

static long items_buf[CAPACITY];
static int head, count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t free_slots, filled;

struct worker {
    pthread_t thread;
    long id, items, done;
    long long sum;
};

static void put(long item)
{
    sem_wait(&free_slots);
    pthread_mutex_lock(&lock);
    items_buf[(head + count) % CAPACITY] = item;
    count++;
    pthread_mutex_unlock(&lock);
    sem_post(&filled);
}

static long get(void)
{
    sem_wait(&filled);
    pthread_mutex_lock(&lock);
    long item = items_buf[head];
    head = (head + 1) % CAPACITY;
    count--;
    pthread_mutex_unlock(&lock);
    sem_post(&free_slots);
    return item;
}

static void *producer(void *arg)
{
    struct worker *w = arg;
    for (long i = 0; i < w->items; i++) {
        put(w->id * w->items + i + 1);
        w->done++;
    }
    return NULL;
}

static void *consumer(void *arg)
{
    struct worker *w = arg;
    for (long item; (item = get()) != 0;) {
        w->done++;
        w->sum += item;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    int nprod = atoi(argv[1]), ncons = atoi(argv[2]);
    long items = atol(argv[3]);
    if (nprod < 1 || nprod > 32 || ncons < 1 || ncons > 32 || items < 0)
        return 2;
    sem_init(&free_slots, 0, CAPACITY);
    sem_init(&filled, 0, 0);
    struct worker prod[32] = {0}, cons[32] = {0};
    for (int i = 0; i < nprod; i++) {
        prod[i].id = i;
        prod[i].items = items;
        pthread_create(&prod[i].thread, NULL, producer, &prod[i]);
    }
    for (int i = 0; i < ncons; i++)
        pthread_create(&cons[i].thread, NULL, consumer, &cons[i]);
    long produced = 0, consumed = 0;
    long long sum = 0;
    for (int i = 0; i < nprod; i++) {
        pthread_join(prod[i].thread, NULL);
        produced += prod[i].done;
    }
    for (int i = 0; i < ncons; i++)
        put(0); /* one stop item per consumer */
    for (int i = 0; i < ncons; i++) {
        pthread_join(cons[i].thread, NULL);
        consumed += cons[i].done;
        sum += cons[i].sum;
    }
    printf("produced: %ld\nconsumed: %ld\noverflows: 0\nunderflows: 0\nsum: %lld\n", produced, consumed, sum);
    return 0;
}
