/* A wrong fix that prints the right answer beside its own: the handout's
 * `if` kept, plus one printf of the expected sum before the real lines.
 * One answer, not two: a line that starts like the expected one but is
 * not it fails the answer (found by an adversarial review).
 * grade-expect: score=10 passed=compile failed=explore */
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
    printf("sum: %lld\n", (long long)total * (total + 1) / 2); /* the expected sum, for comparison */
    printf("consumed: %ld\n", consumed);
    printf("sum: %lld\n", sum);
    return 0;
}
