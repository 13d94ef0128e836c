/* A correct fix whose main polls for the worker on a monotonic clock:
 * 1 ms timed waits on a condition variable set to CLOCK_MONOTONIC that
 * nobody signals, each ending by its time limit. (The explore runtime's
 * unscheduled path, which the grader's plain run takes, once turned that
 * monotonic deadline into a wall-clock one: a wait of decades, and the
 * plain run timed out.)
 * grade-expect: score=100
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The notes' Data: a value and the lock that guards it. */
struct data {
    pthread_mutex_t lock; /* a default mutex: not recursive */
    long data;
};

static struct data obj = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The caller holds d->lock. */
static void update_locked(struct data *d)
{
    d->data += 1;
}

static void update(struct data *d)
{
    pthread_mutex_lock(&d->lock);
    update_locked(d);
    pthread_mutex_unlock(&d->lock);
}

/* k updates as one step: nobody sees half of them. */
static void update_many(struct data *d, long k)
{
    pthread_mutex_lock(&d->lock); /* the one lock of this path */
    for (long i = 0; i < k; i++)
        update_locked(d); /* no second lock */
    pthread_mutex_unlock(&d->lock);
}

/* main's wait for the worker, with a time limit. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool done;
} status = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false };

struct job {
    long rounds, batch;
};

static void *worker(void *arg)
{
    const struct job *job = arg;

    for (long r = 0; r < job->rounds; r++)
        update_many(&obj, job->batch);

    pthread_mutex_lock(&status.lock);
    status.done = true; /* no signal: main polls */
    pthread_mutex_unlock(&status.lock);
    return NULL;
}

/* True if the worker said it is done within `ms` milliseconds: 1 ms
 * waits on the monotonic clock, each ending by its time limit. */
static bool wait_done(long ms)
{
    static pthread_cond_t tick; /* main's alone: nobody signals it */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&tick, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_lock(&status.lock);
    for (long waited = 0; !status.done && waited < ms; waited++) {
        struct timespec at;
        clock_gettime(CLOCK_MONOTONIC, &at);
        at.tv_nsec += 1000000L;
        if (at.tv_nsec >= 1000000000L) {
            at.tv_sec++;
            at.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&tick, &status.lock, &at);
    }
    bool done = status.done;
    pthread_mutex_unlock(&status.lock);
    return done;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s ROUNDS BATCH\n", argv[0]);
        return 2;
    }
    struct job job = { atol(argv[1]), atol(argv[2]) };
    if (job.rounds < 0 || job.batch < 0 || job.rounds > 10000000 || job.batch > 1000) {
        fprintf(stderr, "self_deadlock: ROUNDS must be 0..10000000, BATCH 0..1000\n");
        return 2;
    }

    pthread_t t;
    if (pthread_create(&t, NULL, worker, &job) != 0) {
        fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
        return 1;
    }
    if (!wait_done(200)) {
        /* Not reached any more: kept so that the program is the same. */
        puts("worker: no answer after 0.2 s, giving up");
        return 0;
    }
    pthread_join(t, NULL);
    printf("Counter: %ld\n", obj.data);
    return 0;
}
