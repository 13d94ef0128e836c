/*
 * semaphore_misuse: a deadlock from taking the mutex before the semaphore
 * wait: a producer sleeps on a full buffer holding the mutex the consumer
 * needs to empty it.
 *
 * What it does
 *   The course notes' semaphore buffer: a list of at most SLOTS items, a
 *   mutex around it, a counting semaphore `empty` of free slots (starts at
 *   SLOTS) and one `full` of filled slots (starts at 0). PRODUCERS producer
 *   threads put ITEMS numbered items each (between them every number from 1
 *   to N = PRODUCERS*ITEMS once), napping 50 ms before each put as the
 *   notes' producing_thread sleeps before add_item; one consumer, started
 *   first, takes N items, napping 0.1 ms after each as their
 *   consuming_thread does. main
 *   prints how many items were consumed and their sum: N and N*(N+1)/2.
 *   (The notes' add_item is `with self.empty: with self.mutex: append;
 *   self.full.release()`: the semaphore first, then the mutex.)
 *
 * Where the bug is
 *   buffer_put takes the mutex first (@put_lock) and then waits on `empty`
 *   (@put_wait): the notes' two `with` lines swapped. While there is a free
 *   slot that costs nothing. When the buffer is full:
 *
 *       P1: lock mutex; wait `empty` (0 free: sleeps, HOLDING the mutex)
 *       C:  wait `full` (fine: items are there); lock mutex  -> waits for P1
 *
 *   P1 waits for a slot that only the consumer can free, and the consumer
 *   waits for the mutex that only P1 can release: a deadlock, and the other
 *   producer joins it at the mutex. A semaphore wait is a blocking wait
 *   like any other: never block holding a lock that the thread you wait for
 *   needs. Here the producers are slower than the consumer, so on an idle
 *   machine the buffer never fills and the program finishes: with two
 *   producers, the fifth item outstanding comes 100 ms after the first, and
 *   the consumer would have to take none of them in all that time. A
 *   consumer held back that long (a loaded machine, a slow disk) is all
 *   it takes.
 *
 * --hang
 *   The producers do not nap and the consumer naps 100 ms before it
 *   starts: the buffer fills, and the deadlock is certain.
 *
 * What the tools say
 *   TSan, Helgrind, DRD and memcheck are blind: every access to the buffer
 *   is under the mutex, and each semaphore and mutex call is a correct
 *   one. Valgrind's tools and TSan look for lock-order cycles between
 *   mutexes; a semaphore is not a lock they put in that graph (nobody
 *   "holds" a semaphore), so the cycle mutex -> semaphore -> mutex is
 *   invisible to them. When the buffer does fill, the run hangs, and a
 *   detector reports nothing about sleeping threads. explore makes the
 *   consumer fall behind (sleeps take no time there) and reports the
 *   deadlock: a producer waits on the semaphore holding the mutex
 *   (@put_wait, @put_lock), the consumer and the other producer wait to
 *   lock it (@get_lock, @put_lock). Natively only --hang shows it: the
 *   watchdog calls it a deadlock.
 *
 * How the fix differs (fixed/semaphore_misuse.c)
 *   The notes' order: wait on the semaphore first, then lock the mutex for
 *   the list operation alone. A producer that finds the buffer full now
 *   sleeps holding nothing, and the consumer can always get in.
 *
 * racelab:
 *   class:    semaphore-misuse
 *   params:   producers=2 items=4
 *   verify:   producers=2 items=2
 *   grade:    producers=1..4 items=1..10
 *   stress:   producers=2 items=4
 *   output:   consumed: {producers * items}
 *   output:   sum: {producers * items * (producers * items + 1) / 2}
 *   creates:  {producers + 1}
 *   tsan:     blind -- each call is correct and every access is locked; a semaphore is no lock in its lock-order graph
 *   helgrind: blind -- each call is correct and every access is locked; a semaphore is no lock in its lock-order graph
 *   drd:      blind -- each call is correct and every access is locked; DRD has no lock-order check
 *   memcheck: blind -- no memory is misused
 *   explore:  deadlock @put_lock @put_wait @get_lock
 *   native:   deadlock with --hang
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 4

struct buffer {
    pthread_mutex_t mutex; /* guards items, in, out */
    sem_t empty;           /* free slots */
    sem_t full;            /* filled slots */
    long items[SLOTS];
    int in, out;
};

static struct buffer buffer = { .mutex = PTHREAD_MUTEX_INITIALIZER };
static bool hang;

struct producer {
    pthread_t thread;
    long first, items; /* puts first .. first + items - 1 */
};

static void nap_us(long us)
{
    struct timespec t = { us / 1000000, us % 1000000 * 1000 };
    nanosleep(&t, NULL);
}

static void buffer_put(struct buffer *b, long item)
{
    pthread_mutex_lock(&b->mutex); /* @put_lock: the mutex first ... */
    sem_wait(&b->empty);           /* @put_wait: ... then, holding it, wait for a free slot */
    b->items[b->in] = item;
    b->in = (b->in + 1) % SLOTS;
    pthread_mutex_unlock(&b->mutex);
    sem_post(&b->full);
}

static long buffer_get(struct buffer *b)
{
    sem_wait(&b->full);
    pthread_mutex_lock(&b->mutex); /* @get_lock */
    long item = b->items[b->out];
    b->out = (b->out + 1) % SLOTS;
    pthread_mutex_unlock(&b->mutex);
    sem_post(&b->empty);
    return item;
}

static void *producing_thread(void *arg)
{
    struct producer *p = arg;

    for (long i = 0; i < p->items; i++) {
        if (!hang)
            nap_us(50000); /* producing takes time */
        buffer_put(&buffer, p->first + i);
    }
    return NULL;
}

static void *consuming_thread(void *arg)
{
    long n = *(const long *)arg;
    long long sum = 0;

    if (hang)
        nap_us(100000); /* held back: the producers fill the buffer */
    for (long i = 0; i < n; i++) {
        sum += buffer_get(&buffer);
        if (!hang)
            nap_us(100); /* consuming takes a little time */
    }
    printf("consumed: %ld\n", n);
    printf("sum: %lld\n", sum);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "--hang") != 0)) {
        fprintf(stderr, "usage: %s PRODUCERS ITEMS [--hang]\n", argv[0]);
        return 2;
    }
    int nprod = atoi(argv[1]);
    long items = atol(argv[2]);
    hang = argc == 4;
    if (nprod < 1 || nprod > 32 || items < 0 || items > 1000000) {
        fprintf(stderr, "semaphore_misuse: PRODUCERS must be 1..32, ITEMS 0..1000000\n");
        return 2;
    }

    sem_init(&buffer.empty, 0, SLOTS);
    sem_init(&buffer.full, 0, 0);
    struct producer prod[32];
    long total = nprod * items;
    pthread_t cons;
    /* The consumer first: it is waiting for items before any is made. */
    if (pthread_create(&cons, NULL, consuming_thread, &total) != 0) {
        fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
        return 1;
    }
    for (int i = 0; i < nprod; i++) {
        prod[i].first = i * items + 1;
        prod[i].items = items;
        if (pthread_create(&prod[i].thread, NULL, producing_thread, &prod[i]) != 0) {
            fputs("pthread_create failed\n", stderr);
            return 1;
        }
    }
    for (int i = 0; i < nprod; i++)
        pthread_join(prod[i].thread, NULL);
    pthread_join(cons, NULL);
    sem_destroy(&buffer.empty);
    sem_destroy(&buffer.full);
    return 0;
}
