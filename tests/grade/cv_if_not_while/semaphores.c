/* A correct fix in another style: no condition variable at all. Two
 * counting semaphores, free slots and filled slots, and a mutex around the
 * buffer (the course notes' semaphore buffer). sem_wait cannot be woken
 * without a unit to take, so there is nothing to re-check.
 * grade-expect: score=100
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

#define CAPACITY 4

/* A bounded FIFO. puts and gets count up forever; slot = position % CAPACITY. */
struct buffer {
    pthread_mutex_t lock;     /* guards every field below */
    sem_t filled;             /* items in the buffer */
    sem_t free_slots;         /* room in the buffer */
    long items[CAPACITY];
    long puts;                /* items put so far */
    long gets;                /* items taken so far */
};

static struct buffer buffer = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

struct consumer {
    pthread_t thread;
    long items;    /* how many to take */
    long taken;
    long long sum;
};

static void buffer_put(struct buffer *b, long item)
{
    sem_wait(&b->free_slots);
    pthread_mutex_lock(&b->lock);
    b->items[b->puts % CAPACITY] = item;
    b->puts++;
    pthread_mutex_unlock(&b->lock);
    sem_post(&b->filled);
}

static long buffer_get(struct buffer *b)
{
    sem_wait(&b->filled); /* returns only with an item reserved for us */
    pthread_mutex_lock(&b->lock);
    long item = b->items[b->gets % CAPACITY];
    b->gets++;
    pthread_mutex_unlock(&b->lock);
    sem_post(&b->free_slots);
    return item;
}

static void *producer(void *arg)
{
    long n = *(const long *)arg;

    for (long i = 1; i <= n; i++)
        buffer_put(&buffer, i);
    return NULL;
}

static void *consumer(void *arg)
{
    struct consumer *c = arg;

    for (long i = 0; i < c->items; i++) {
        c->sum += buffer_get(&buffer);
        c->taken++;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s CONSUMERS ITEMS\n", argv[0]);
        return 2;
    }
    int ncons = atoi(argv[1]);
    long items = atol(argv[2]);
    if (ncons < 1 || ncons > 32 || items < 0 || items > 10000000) {
        fprintf(stderr, "cv_if_not_while: CONSUMERS must be 1..32, ITEMS 0..10000000\n");
        return 2;
    }

    sem_init(&buffer.filled, 0, 0);
    sem_init(&buffer.free_slots, 0, CAPACITY);
    struct consumer cons[32] = { 0 };
    long total = ncons * items;
    pthread_t prod;
    for (int i = 0; i < ncons; i++) {
        cons[i].items = items;
        if (pthread_create(&cons[i].thread, NULL, consumer, &cons[i]) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }
    if (pthread_create(&prod, NULL, producer, &total) != 0) {
        fputs("pthread_create failed\n", stderr);
        return 1;
    }

    long consumed = 0;
    long long sum = 0;
    pthread_join(prod, NULL);
    for (int i = 0; i < ncons; i++) {
        pthread_join(cons[i].thread, NULL);
        consumed += cons[i].taken;
        sum += cons[i].sum;
    }
    printf("consumed: %ld\n", consumed);
    printf("sum: %lld\n", sum);
    return 0;
}
