/*
 * semaphore_misuse, fixed: the semaphore wait comes first, the mutex second,
 * as in the course notes.
 * Must show: clean under every tool; consumed: N and the full sum in every run, with --hang too.
 *
 * The fix
 *   buffer_put waits on `empty` holding nothing, and only then locks the
 *   mutex around the list operation; buffer_get does the same with `full`.
 *   The notes' add_item is exactly this: `with self.empty:` outside,
 *   `with self.mutex:` inside. A producer asleep on a full buffer no
 *   longer holds the mutex, so the consumer can always take an item and
 *   post `empty`. The rule: a thread must not block (on a semaphore, a
 *   condition, a join, I/O) while it holds a lock that the thread it is
 *   waiting for needs. The mutex protects the list for the few
 *   instructions it takes to change it; the semaphores do the waiting.
 *   With --hang the buffer fills, the producers sleep on `empty`, and the
 *   consumer drains it.
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
    sem_wait(&b->empty);           /* a free slot first, holding nothing ... */
    pthread_mutex_lock(&b->mutex); /* ... then the mutex, for the list alone */
    b->items[b->in] = item;
    b->in = (b->in + 1) % SLOTS;
    pthread_mutex_unlock(&b->mutex);
    sem_post(&b->full);
}

static long buffer_get(struct buffer *b)
{
    sem_wait(&b->full);
    pthread_mutex_lock(&b->mutex);
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
