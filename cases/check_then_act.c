/*
 * check_then_act: a data race in a check-then-act: producers and consumers
 * test a shared buffer's count without its lock ("is there room?", "is
 * there an item?"), then act on what they saw in a second step.
 *
 * What it does
 *   main starts PRODUCERS producer threads and CONSUMERS consumer threads
 *   around a buffer of 4 slots. Producer p puts ITEMS numbered items,
 *   p*ITEMS+1 .. p*ITEMS+ITEMS, so between them the producers put every
 *   number from 1 to N = PRODUCERS*ITEMS exactly once. Consumers take items
 *   out until every producer has finished and the buffer is empty. main
 *   prints how many items went in and came out, how many puts found the
 *   buffer full (overflows: that item is dropped), how many gets found it
 *   empty (underflows) and the sum of the items consumed. The right answer:
 *   N in, N out, no overflow, no underflow, sum N*(N+1)/2.
 *   (The course notes: a Buffer around queue.Queue(maxsize=size), with
 *   `if self.buffer.not_full: self.buffer.put(item, block=False)` in the
 *   producer and the same with not_empty/get in the consumer. Where they
 *   skip the item when the check says full, this producer waits and checks
 *   again, so only the bug can lose an item.)
 *
 * Where the bug is
 *   buffer_put and buffer_get are safe on their own: each takes the
 *   buffer's mutex, as queue.Queue's put and get do, and each fails instead
 *   of blocking when the buffer is full or empty (put(block=False) raising
 *   queue.Full). The callers check first, without the lock (@check_full,
 *   @check_empty), and act afterwards, in a separate critical section.
 *
 *   The checks read `count` without the lock while put and get write it
 *   under the lock (@put_count, @get_count): a data race. A lock protects a
 *   variable only if every access to it takes the lock; here the writers
 *   take it and the readers do not, so nothing orders a check after the
 *   write it should have seen, and nothing stops a write from landing
 *   between the check and the act. The thread acts on a count that is out
 *   of date:
 *
 *       P1: count is 3: not full      P2: count is 3: not full
 *       P1: put -> count is 4         P2: put -> full: item dropped
 *
 *   Two consumers and the last item give an underflow the same way. The
 *   dropped items are what the output shows.
 *   This case is about the race, the unlocked read. Taking the lock for
 *   the check alone would end the race and still drop items: check and act
 *   would be two critical sections with a gap between them. That second
 *   bug, an atomicity violation, which no race detector sees, is the
 *   lesson of atomicity_violation.c.
 *
 * What the tools say
 *   TSan, Helgrind and DRD see the race. TSan reports a race on `buffer`
 *   between an unlocked check and a locked write; it reports only the first
 *   race on an address, and which pair comes first depends on the schedule
 *   (@check_full or @check_empty against @put_count, in our runs), so its
 *   expectation accepts any check against any write. Helgrind and DRD
 *   report every distinct conflict, not just the first, so a run shows
 *   both checks, each with any write: Helgrind as read-vs-write pairs on
 *   `buffer`, DRD one access per report and no variable (the unlocked
 *   check, or a locked write that no lock orders after another thread's
 *   check). memcheck is blind: it checks memory, and nothing here misuses
 *   memory. The dropped items show in the output, natively under stress
 *   and under explore.
 *
 * How the fix differs (fixed/check_then_act.c)
 *   Nobody reads `count` outside the lock any more: put and get block
 *   instead of failing, and do their own check inside their critical
 *   section (which also closes the gap atomicity_violation is about): a
 *   mutex and two condition variables, not_full and not_empty, with a
 *   `while` around each pthread_cond_wait. The other classic fix is the
 *   course notes' second version: two counting semaphores (free slots,
 *   filled slots) and a mutex for the buffer.
 *
 * racelab:
 *   class:    check-then-act
 *   params:   producers=2 consumers=2 items=50
 *   verify:   producers=1 consumers=2 items=2
 *   grade:    producers=1..4 consumers=1..4 items=10..200
 *   stress:   producers=4 consumers=4 items=2000
 *   output:   produced: {producers * items}
 *   output:   consumed: {producers * items}
 *   output:   overflows: 0
 *   output:   underflows: 0
 *   output:   sum: {producers * items * (producers * items + 1) / 2}
 *   creates:  {producers + consumers}
 *   tsan:     data-race buffer @check_full @check_empty @put_count @get_count
 *   helgrind: Race buffer @check_full @put_count @get_count
 *   helgrind: Race buffer @check_empty @put_count @get_count
 *   drd:      ConflictingAccess @check_full @put_count @get_count
 *   drd:      ConflictingAccess @check_empty @put_count @get_count
 *   memcheck: blind -- values go wrong, memory does not: memcheck checks memory
 *   explore:  wrong-answer
 *   native:   wrong-answer
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

/* Python's `buffer.not_full`: a peek without the lock. */
static bool buffer_not_full(struct buffer *b)
{
    return b->count < CAPACITY; /* @check_full: unlocked read of count */
}

static bool buffer_not_empty(struct buffer *b)
{
    return b->count > 0; /* @check_empty: unlocked read of count */
}

/* put(item, block=False): false, item not stored, if the buffer is full. */
static bool buffer_put(struct buffer *b, long item)
{
    bool ok = false;

    pthread_mutex_lock(&b->lock);
    if (b->count < CAPACITY) {
        b->items[(b->head + b->count) % CAPACITY] = item;
        b->count++; /* @put_count: locked write */
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
        b->count--; /* @get_count: locked write */
        ok = true;
    }
    pthread_mutex_unlock(&b->lock);
    return ok;
}

/*
 * Shutdown is correct on purpose, so that the only bug is the
 * check-then-act: a producer leaves under the lock, and consumers stop
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

        while (!buffer_not_full(&buffer)) /* check */
            sched_yield(); /* full: let a consumer run */
        /*
         * Another producer may take the free slot right here. The yield
         * only widens this window, as time.sleep does in the course notes:
         * the gap is there without it, but how often a run hits it then
         * depends on the machine's load (every run on an idle machine, 8
         * in 20 on a busy one, measured); with it, nearly every run.
         */
        sched_yield();
        if (buffer_put(&buffer, item)) /* act */
            w->done++;
        else
            w->failed++; /* queue.Full: the item is dropped */
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
            if (buffer_get(&buffer, &item)) { /* act */
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
