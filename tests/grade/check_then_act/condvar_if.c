/* A wrong fix: `if` instead of `while` around pthread_cond_wait. A woken
 * thread does not check again, but another thread may have taken the slot
 * or the item first (and broadcast wakes them all): the buffer overflows,
 * or a consumer gives up while items remain.
 * grade-expect: score=67 passed=compile,tsan,helgrind,drd failed=explore
 */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define CAPACITY 4 /* small, so the buffer is often full and often empty */

/* A bounded FIFO, like queue.Queue(maxsize=CAPACITY). */
struct buffer {
    pthread_mutex_t lock;      /* guards every field below */
    pthread_cond_t not_full;   /* signalled when a slot frees up */
    pthread_cond_t not_empty;  /* signalled on a new item, and at the end */
    long items[CAPACITY];
    int head;                  /* index of the oldest item */
    int count;                 /* items in the buffer */
    int producers_left;        /* producers still running */
};

static struct buffer buffer = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .not_full = PTHREAD_COND_INITIALIZER,
    .not_empty = PTHREAD_COND_INITIALIZER,
};

/* What one thread did; main adds them up after joining. */
struct worker {
    pthread_t thread;
    long id;
    long items;     /* producer: how many to put */
    long done;      /* items put, or items taken */
    long failed;    /* overflows, or underflows: always 0 now */
    long long sum;  /* consumer: sum of the items taken */
};

/* put(item): waits for a free slot; check and act under one lock. */
static void buffer_put(struct buffer *b, long item)
{
    pthread_mutex_lock(&b->lock);
    if (b->count == CAPACITY) /* should be while */
        pthread_cond_wait(&b->not_full, &b->lock);
    b->items[(b->head + b->count) % CAPACITY] = item;
    b->count++;
    pthread_cond_broadcast(&b->not_empty);
    pthread_mutex_unlock(&b->lock);
}

/* get(): waits for an item; false once the buffer is drained for good. */
static bool buffer_get(struct buffer *b, long *item)
{
    bool ok = false;

    pthread_mutex_lock(&b->lock);
    if (b->count == 0 && b->producers_left > 0) /* should be while */
        pthread_cond_wait(&b->not_empty, &b->lock);
    if (b->count > 0) {
        *item = b->items[b->head];
        b->head = (b->head + 1) % CAPACITY;
        b->count--;
        pthread_cond_broadcast(&b->not_full);
        ok = true;
    }
    pthread_mutex_unlock(&b->lock);
    return ok;
}

/* The last producer out wakes every consumer, so they can see the end. */
static void buffer_producer_done(struct buffer *b)
{
    pthread_mutex_lock(&b->lock);
    if (--b->producers_left == 0)
        pthread_cond_broadcast(&b->not_empty);
    pthread_mutex_unlock(&b->lock);
}

static void *producer(void *arg)
{
    struct worker *w = arg;

    for (long i = 0; i < w->items; i++) {
        buffer_put(&buffer, w->id * w->items + i + 1);
        w->done++;
    }
    buffer_producer_done(&buffer);
    return NULL;
}

static void *consumer(void *arg)
{
    struct worker *w = arg;
    long item;

    while (buffer_get(&buffer, &item)) {
        w->done++;
        w->sum += item;
        sched_yield(); /* a slow consumer: producers wait for room */
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
        fprintf(stderr, "check_then_act: PRODUCERS and CONSUMERS must be "
                        "1..32, ITEMS 0..10000000\n");
        return 2;
    }

    struct worker prod[32] = { 0 }, cons[32] = { 0 };
    buffer.producers_left = nprod;
    for (int i = 0; i < nprod; i++) {
        prod[i].id = i;
        prod[i].items = items;
        if (pthread_create(&prod[i].thread, NULL, producer, &prod[i]) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    for (int i = 0; i < ncons; i++) {
        if (pthread_create(&cons[i].thread, NULL, consumer, &cons[i]) != 0) {
            perror("pthread_create");
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
