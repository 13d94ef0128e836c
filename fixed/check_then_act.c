/*
 * check_then_act, fixed: check and act are one critical section, and a
 * thread that finds the buffer full (or empty) sleeps until that changes.
 * Must show: clean under every tool; every item put is got once, none dropped, in every run.
 *
 * The fix
 *   buffer_put and buffer_get do their own check, under the buffer's
 *   mutex, and block instead of failing. A producer that finds the buffer
 *   full waits on the condition variable not_full; pthread_cond_wait
 *   releases the mutex while it sleeps and takes it back before it
 *   returns. A consumer's get signals not_full after it frees a slot, and
 *   a producer's put signals not_empty. Nobody outside put and get reads
 *   `count` any more, so there is no race, and nobody can act on a stale
 *   answer, so there is no overflow or underflow. (Python: put(item) and
 *   get() with block=True, or a threading.Condition.)
 *
 *   Each wait sits in a `while`, not an `if`: the condition must be checked
 *   again after waking. Another thread may have taken the slot between the
 *   signal and the wake-up (the same check-then-act, one level down), and
 *   pthread_cond_wait may also wake up spuriously.
 *
 *   The other classic fix is the course notes' second version: a counting
 *   semaphore of free slots (sem_wait before put), one of filled slots
 *   (sem_wait before get) and a mutex around the buffer itself.
 *
 * Shutdown
 *   A consumer must not wait forever on an empty buffer once every producer
 *   is done: the last producer to leave broadcasts not_empty, and get
 *   returns false when the buffer is empty and no producer is left.
 *
 * This fix repeats atomicity_violation's buffer on purpose: each lesson is one
 * file that a student reads, builds and is graded on alone.
 */
#include <pthread.h>
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
    while (b->count == CAPACITY)
        pthread_cond_wait(&b->not_full, &b->lock);
    b->items[(b->head + b->count) % CAPACITY] = item;
    b->count++;
    pthread_cond_signal(&b->not_empty);
    pthread_mutex_unlock(&b->lock);
}

/* get(): waits for an item; false once the buffer is drained for good. */
static bool buffer_get(struct buffer *b, long *item)
{
    bool ok = false;

    pthread_mutex_lock(&b->lock);
    while (b->count == 0 && b->producers_left > 0)
        pthread_cond_wait(&b->not_empty, &b->lock);
    if (b->count > 0) {
        *item = b->items[b->head];
        b->head = (b->head + 1) % CAPACITY;
        b->count--;
        pthread_cond_signal(&b->not_full);
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
