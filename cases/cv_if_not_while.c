/*
 * cv_if_not_while: a condition wait in an `if`, not a `while`: a consumer
 * woken up takes an item without checking again that one is there.
 *
 * What it does
 *   One producer puts N = CONSUMERS * ITEMS numbered items, 1..N, into a
 *   buffer of 4 slots; CONSUMERS consumer threads take ITEMS items each.
 *   Everything is under one mutex: a consumer that finds the buffer empty
 *   waits on the condition variable not_empty, and the producer signals it
 *   after each put (a producer that finds the buffer full waits on
 *   not_full, which each get signals). main joins everyone and prints how
 *   many items were consumed and their sum. The right answer: N items, sum
 *   N*(N+1)/2.
 *   (The course notes, Condition: "The Consumer acquires the lock, sees the
 *   queue is empty, and then calls wait() ... The woken Consumer thread then
 *   tries to reacquire the lock. Once it gets the lock, it can safely check
 *   the queue and consume the new item." This is that consumer, minus the
 *   check after the wake-up.)
 *
 * Where the bug is
 *   @if_wait: `if (count == 0) pthread_cond_wait(...)`, then @take. Being
 *   woken up does not mean an item is there:
 *
 *       C1: count 0: wait                 (sleeps, lock released)
 *       P:  put item 7, signal not_empty  (C1 is woken, must re-lock)
 *       C2: lock first: count 1: take 7   (never waited)
 *       C1: re-locks, does not look again: takes from an EMPTY buffer
 *
 *   pthread_cond_signal wakes a waiter; it does not hand it the lock, and
 *   another consumer can take the item between the signal and the wake-up.
 *   POSIX also allows spurious wake-ups, with no signal at all. C1 then
 *   reads a slot that was already consumed (a stale item: the sum comes out
 *   4 short for each one, the buffer's size) and moves the buffer's read
 *   position past its write position.
 *
 * What the tools say
 *   TSan, Helgrind, DRD and memcheck are blind: every access to the buffer
 *   is under its mutex, so there is no data race, and the stale slot is
 *   still inside the array, so no memory is misused. Every happens-before
 *   edge is in place; it is the program's logic that is wrong. Only the
 *   output shows it: explore makes the stolen wake-up happen (it wakes a
 *   waiter at the back of the queue half the time, and wakes waiters
 *   spuriously in some seeds), and native runs at the stress inputs show a
 *   short sum.
 *
 * How the fix differs (fixed/cv_if_not_while.c)
 *   `while (count == 0) pthread_cond_wait(...)`: after every wake-up the
 *   consumer checks again, under the lock, and goes back to sleep if
 *   another thread was first. The rule for every condition variable: wait
 *   in a loop on the predicate.
 *
 * racelab:
 *   class:    cv-if-not-while
 *   params:   consumers=2 items=20
 *   verify:   consumers=2 items=2
 *   grade:    consumers=2..4 items=10..100
 *   stress:   consumers=4 items=2000
 *   output:   consumed: {consumers * items}
 *   output:   sum: {consumers * items * (consumers * items + 1) / 2}
 *   creates:  {consumers + 1}
 *   tsan:     blind -- every access is under the mutex: no data race, only wrong logic
 *   helgrind: blind -- every access is under the mutex: no data race, only wrong logic
 *   drd:      blind -- every access is under the mutex, and the wait is a correct call
 *   memcheck: blind -- the stale slot is inside the array: no memory is misused
 *   explore:  wrong-answer
 *   native:   wrong-answer
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
    if (b->puts - b->gets == 0) /* @if_wait: checked once, before the wait */
        pthread_cond_wait(&b->not_empty, &b->lock);
    long item = b->items[b->gets % CAPACITY]; /* @take: assumes an item is there */
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
