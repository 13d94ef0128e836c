/*
 * self_deadlock, fixed: every path takes the object's lock exactly once;
 * the helper that update_many calls does not lock.
 * Must show: clean under every tool (no relock, no thread left behind); Counter: ROUNDS * BATCH in every run.
 *
 * The fix
 *   update() is split in two: update_locked() does the work and expects
 *   its caller to hold d->lock, and update() is update_locked() between
 *   lock and unlock, for callers that hold nothing. update_many() takes the
 *   lock once and calls update_locked() k times. The naming says who holds
 *   the lock, and the mutex stays a plain, non-recursive one: a relock
 *   would still be a bug, and DRD and explore would still say so.
 *
 *   The other fix is a recursive mutex: pthread_mutexattr_settype(&attr,
 *   PTHREAD_MUTEX_RECURSIVE), Python's threading.RLock. Its owner may lock
 *   it again; it counts the locks and is released at the matching last
 *   unlock. It is the smaller change, and it hides the question the
 *   original code got wrong: which functions run with the lock held.
 *
 *   main's time limit stays: with the worker never stuck, main always gets
 *   its answer well within it, joins the worker and prints the counter.
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
    status.done = true;
    pthread_cond_signal(&status.changed);
    pthread_mutex_unlock(&status.lock);
    return NULL;
}

/* True if the worker said it is done within `ms` milliseconds. */
static bool wait_done(long ms)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += ms / 1000;
    deadline.tv_nsec += ms % 1000 * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&status.lock);
    int rc = 0;
    while (!status.done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&status.changed, &status.lock, &deadline);
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
