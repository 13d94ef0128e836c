/*
 * atomicity_violation: an atomicity violation: a check and the act that
 * depends on it each hold the lock, but separately, and the buffer changes
 * in between.
 *
 * What it does
 *   The producer/consumer buffer of check_then_act, with its data race
 *   fixed the obvious way: the checks ("is there room?", "is there an
 *   item?") now take the buffer's mutex too. main starts PRODUCERS
 *   producers and CONSUMERS consumers around a buffer of 4 slots; producer
 *   p puts ITEMS numbered items, p*ITEMS+1 .. p*ITEMS+ITEMS, so between
 *   them every number from 1 to N = PRODUCERS*ITEMS once. Consumers take
 *   items until every producer has finished and the buffer is empty. main
 *   prints how many went in and came out, how many puts found the buffer
 *   full (overflows: the item is dropped), how many gets found it empty
 *   (underflows), and the sum consumed. The right answer: N in, N out, no
 *   overflow, no underflow, sum N*(N+1)/2.
 *   (The course notes, Producer and Consumer problem: "When a producer
 *   checks that an space is present to produce (in the buffer), and
 *   execution goes to another producer, and this other producer finishes
 *   producing. This makes the previous paused producer try to produce to an
 *   already full buffer". Their add_item is `if self.buffer.not_full:
 *   self.buffer.put(item, block=False)`; each of queue.Queue's calls takes
 *   the queue's lock, and this program is that: every step locked.)
 *
 * Where the bug is
 *   Between @check_full and @act_put (and @check_empty and @act_get) the
 *   lock is released. What the check saw was true while it held the lock
 *   and may be false by the time the thread acts:
 *
 *       P1: lock; count is 3: not full; unlock
 *       P2: lock; count is 3: not full; unlock
 *       P1: lock; put -> count is 4; unlock
 *       P2: lock; put -> full: item dropped; unlock
 *
 *   Two consumers and the last item give an underflow the same way. Each
 *   critical section is correct on its own; the bug is that the check and
 *   the act must happen as one indivisible step (atomically) and do not.
 *   Lu et al. (ASPLOS 2008) found this kind, with order violations, behind
 *   most non-deadlock concurrency bugs in real software.
 *
 * What the tools say
 *   TSan, Helgrind, DRD and memcheck are all blind: every access to the
 *   buffer holds its mutex, so no two accesses are unordered (no data
 *   race), and no memory is misused. A race detector answers "were these
 *   two accesses ordered?", and here they always are; whether the program
 *   meant them to be one step is not in the trace. Only the output shows
 *   it: overflows, underflows, a short sum, under explore (it switches
 *   threads between the two critical sections) and natively under stress.
 *
 * How the fix differs (fixed/atomicity_violation.c)
 *   Check and act in ONE critical section: put and get look at the count
 *   themselves, under the lock, and wait on a condition variable (not_full,
 *   not_empty, each in a `while`) instead of failing. Nobody acts on a
 *   stale answer, because nobody else can run between the check and the
 *   act. The course notes' semaphore version is the other fix.
 *
 * racelab:
 *   class:    atomicity-violation
 *   params:   producers=2 consumers=2 items=50
 *   verify:   producers=1 consumers=2 items=2
 *   grade:    producers=1..4 consumers=1..4 items=10..200
 *   stress:   producers=4 consumers=4 items=500
 *   output:   produced: {producers * items}
 *   output:   consumed: {producers * items}
 *   output:   overflows: 0
 *   output:   underflows: 0
 *   output:   sum: {producers * items * (producers * items + 1) / 2}
 *   creates:  {producers + consumers}
 *   tsan:     blind -- every access holds the mutex: no data race, the bug is two critical sections where one is needed
 *   helgrind: blind -- every access holds the mutex: no data race, the bug is two critical sections where one is needed
 *   drd:      blind -- every access holds the mutex: no data race, the bug is two critical sections where one is needed
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

/* Python's `buffer.not_full`, asked properly: under the buffer's lock. */
static bool buffer_not_full(struct buffer *b)
{
    pthread_mutex_lock(&b->lock);
    bool room = b->count < CAPACITY; /* @check_full: right when it is read ... */
    pthread_mutex_unlock(&b->lock);
    return room; /* ... and maybe stale by the time the caller acts on it */
}

static bool buffer_not_empty(struct buffer *b)
{
    pthread_mutex_lock(&b->lock);
    bool items = b->count > 0; /* @check_empty */
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
        if (buffer_put(&buffer, item)) /* @act_put: a second critical section */
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
            if (buffer_get(&buffer, &item)) { /* @act_get */
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
