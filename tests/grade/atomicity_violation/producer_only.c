/* A wrong fix: the producer's check and put are now one critical section
 * (a put that waits for room), but the consumer still checks, unlocks, and
 * gets in a second critical section: two consumers and one item still give
 * an underflow.
 * grade-expect: failed=explore passed=compile score<=10
 */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define CAPACITY 4 /* small, so the buffer is often full and often empty */

/* A bounded FIFO, like queue.Queue(maxsize=CAPACITY). */
struct buffer {
    pthread_mutex_t lock; /* guards every field below */
    long items[CAPACITY];
    int head;             /* index of the oldest item */
    int count;            /* items in the buffer */
    int producers_left;   /* producers still running */
};

static struct buffer buffer = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* What one thread did; main adds them up after joining. */
struct worker {
    pthread_t thread;
    long id;
    long items;     /* producer: how many to put */
    long done;      /* items put, or items taken */
    long failed;    /* overflows, or underflows */
    long long sum;  /* consumer: sum of the items taken */
};

/* Python's `buffer.not_full`, asked properly: under the buffer's lock. */
static bool buffer_not_full(struct buffer *b)
{
    pthread_mutex_lock(&b->lock);
    bool room = b->count < CAPACITY;
    pthread_mutex_unlock(&b->lock);
    return room; /* ... and maybe stale by the time the caller acts on it */
}

static bool buffer_not_empty(struct buffer *b)
{
    pthread_mutex_lock(&b->lock);
    bool items = b->count > 0;
    pthread_mutex_unlock(&b->lock);
    return items;
}

/* put(item, block=False): false, item not stored, if the buffer is full. */
static bool buffer_put(struct buffer *b, long item)
{
    bool ok = false;

    pthread_mutex_lock(&b->lock);
    if (b->count < CAPACITY) {
        b->items[(b->head + b->count) % CAPACITY] = item;
        b->count++;
        ok = true;
    }
    pthread_mutex_unlock(&b->lock);
    return ok;
}

/* get(block=False): false if the buffer is empty. */
static bool buffer_get(struct buffer *b, long *item)
{
    bool ok = false;

    pthread_mutex_lock(&b->lock);
    if (b->count > 0) {
        *item = b->items[b->head];
        b->head = (b->head + 1) % CAPACITY;
        b->count--;
        ok = true;
    }
    pthread_mutex_unlock(&b->lock);
    return ok;
}

/*
 * Shutdown is correct on purpose, so that the only bug is the
 * atomicity violation: a producer leaves under the lock, and consumers stop
 * only when, under the lock, no producer is left and nothing is buffered.
 */
static void buffer_producer_done(struct buffer *b)
{
    pthread_mutex_lock(&b->lock);
    b->producers_left--;
    pthread_mutex_unlock(&b->lock);
}

static bool buffer_drained(struct buffer *b)
{
    pthread_mutex_lock(&b->lock);
    bool drained = b->producers_left == 0 && b->count == 0;
    pthread_mutex_unlock(&b->lock);
    return drained;
}

static void *producer(void *arg)
{
    struct worker *w = arg;

    for (long i = 0; i < w->items; i++) {
        long item = w->id * w->items + i + 1;

        for (;;) { /* check and put in one critical section */
            pthread_mutex_lock(&buffer.lock);
            if (buffer.count < CAPACITY)
                break; /* still holding the lock */
            pthread_mutex_unlock(&buffer.lock);
            sched_yield(); /* full: let a consumer run */
        }
        buffer.items[(buffer.head + buffer.count) % CAPACITY] = item;
        buffer.count++;
        pthread_mutex_unlock(&buffer.lock);
        w->done++;
    }
    buffer_producer_done(&buffer);
    return NULL;
}

static void *consumer(void *arg)
{
    struct worker *w = arg;
    long item;

    for (;;) {
        if (buffer_not_empty(&buffer)) { /* check */
            sched_yield(); /* another consumer may take the last item */
            if (buffer_get(&buffer, &item)) {
                w->done++;
                w->sum += item;
            } else {
                w->failed++; /* queue.Empty: another consumer was first */
            }
        } else if (buffer_drained(&buffer)) {
            break;
        } else {
            sched_yield(); /* empty: let a producer run */
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s PRODUCERS CONSUMERS ITEMS\n", argv[0]);
        return 2;
    }
    int nprod = atoi(argv[1]);
    int ncons = atoi(argv[2]);
    long items = atol(argv[3]);
    if (nprod < 1 || nprod > 32 || ncons < 1 || ncons > 32 || items < 0 ||
        items > 10000000) {
        fprintf(stderr, "atomicity_violation: PRODUCERS and CONSUMERS must be "
                        "1..32, ITEMS 0..10000000\n");
        return 2;
    }

    struct worker prod[32] = { 0 }, cons[32] = { 0 };
    buffer.producers_left = nprod;
    for (int i = 0; i < nprod; i++) {
        prod[i].id = i;
        prod[i].items = items;
        if (pthread_create(&prod[i].thread, NULL, producer, &prod[i]) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }
    for (int i = 0; i < ncons; i++) {
        if (pthread_create(&cons[i].thread, NULL, consumer, &cons[i]) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
    }

    long produced = 0, consumed = 0, overflows = 0, underflows = 0;
    long long sum = 0;
    for (int i = 0; i < nprod; i++) {
        pthread_join(prod[i].thread, NULL);
        produced += prod[i].done;
        overflows += prod[i].failed;
    }
    for (int i = 0; i < ncons; i++) {
        pthread_join(cons[i].thread, NULL);
        consumed += cons[i].done;
        underflows += cons[i].failed;
        sum += cons[i].sum;
    }

    printf("produced: %ld\n", produced);
    printf("consumed: %ld\n", consumed);
    printf("overflows: %ld\n", overflows);
    printf("underflows: %ld\n", underflows);
    printf("sum: %lld\n", sum);
    return 0;
}
