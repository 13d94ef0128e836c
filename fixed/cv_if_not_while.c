/*
 * cv_if_not_while, fixed: the consumer waits in a `while` loop, so it looks
 * at the buffer again after every wake-up.
 * Must show: clean under every tool; consumed: CONSUMERS * ITEMS and the full sum in every run.
 *
 * The fix
 *   `while (count == 0) pthread_cond_wait(&not_empty, &lock);`. A wake-up
 *   is only a hint that the condition may have changed: the signal wakes a
 *   consumer but does not give it the lock, so another consumer may take
 *   the item first, and POSIX allows spurious wake-ups with no signal at
 *   all. Re-checking the predicate under the lock makes both harmless: the
 *   consumer that lost the race finds the buffer empty and sleeps again.
 *   (Python: `with cond: while not queue: cond.wait()`, or
 *   `cond.wait_for(lambda: queue)`, which is that loop.)
 *
 *   The producer's wait was already a `while`, and with one producer it
 *   could not be stolen; it is written the same way because the rule is
 *   the same for every condition wait.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define CAPACITY 4

/* A bounded FIFO. puts and gets count up forever; slot = position % CAPACITY. */
struct buffer {
    pthread_mutex_t lock;     /* guards every field below */
    pthread_cond_t not_empty; /* signalled after each put */
    pthread_cond_t not_full;  /* signalled after each get */
    long items[CAPACITY];
    long puts;                /* items put so far */
    long gets;                /* items taken so far */
};

static struct buffer buffer = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .not_empty = PTHREAD_COND_INITIALIZER,
    .not_full = PTHREAD_COND_INITIALIZER,
};

struct consumer {
    pthread_t thread;
    long items;    /* how many to take */
    long taken;
    long long sum;
};

static void buffer_put(struct buffer *b, long item)
{
    pthread_mutex_lock(&b->lock);
    while (b->puts - b->gets >= CAPACITY)
        pthread_cond_wait(&b->not_full, &b->lock);
    b->items[b->puts % CAPACITY] = item;
    b->puts++;
    pthread_cond_signal(&b->not_empty); /* notify(): wakes one consumer */
    pthread_mutex_unlock(&b->lock);
}

static long buffer_get(struct buffer *b)
{
    pthread_mutex_lock(&b->lock);
    while (b->puts - b->gets == 0) /* checked again after every wake-up */
        pthread_cond_wait(&b->not_empty, &b->lock);
    long item = b->items[b->gets % CAPACITY]; /* an item is there: we looked */
    b->gets++;
    pthread_cond_signal(&b->not_full);
    pthread_mutex_unlock(&b->lock);
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
