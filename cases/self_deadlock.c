/*
 * self_deadlock: a self-deadlock: a function holding a non-recursive mutex
 * calls a helper that locks the same mutex again, and the thread waits
 * for itself forever.
 *
 * What it does
 *   The course notes' Data class, in C: an object with a counter and its
 *   own lock, and an update() that takes the lock around `data += 1`.
 *   Someone then adds update_many(k), "k updates as one step", which takes
 *   the lock (so that nobody sees half of the k) and calls update() k times.
 *   main starts a worker that calls update_many(BATCH) ROUNDS times, and
 *   waits for it: up to 0.2 s, because a stuck worker must not hang the
 *   program. If the worker finished, main joins it and prints the counter,
 *   ROUNDS * BATCH; if not, main says so and exits without the counter.
 *   The course notes have no RLock example: they only point at Python's
 *   Lock and RLock ("Pay close attention to the Lock and RLock objects").
 *   Their Data.update takes `with self.__lock:`, a threading.Lock; this is
 *   what happens when a method holding that lock calls another that takes
 *   it too.
 *
 * Where the bug is
 *   update_many locks d->lock (@first_lock) and calls update(), which locks
 *   it again (@relock). A default pthread mutex is not recursive: the
 *   second lock waits until the mutex is released, and the only thread
 *   that could release it is the one waiting. (POSIX leaves relocking a
 *   default mutex undefined; glibc waits forever, as Python's Lock does.)
 *   It is not a timing bug: it happens in every run, on the first call.
 *
 * What the tools say
 *   TSan is blind: it checks a double lock when the lock call returns, and
 *   this one never returns; main's timed wait then gives up and the
 *   process exits with the worker still blocked (a thread that has not
 *   finished is no thread leak for TSan).
 *   DRD reports MutexErr, "Recursive locking not allowed", at @relock.
 *   Helgrind says nothing at the relock; when the process exits with the
 *   worker still in it, it reports Misc "Exiting thread still holds 1
 *   lock", at the worker's blocked lock call (@relock).
 *   memcheck reports Leak_PossiblyLost under pthread_create (@create): the
 *   worker never ended, so its thread-local storage is never freed.
 *   explore reports the self-deadlock itself, at @relock and @first_lock.
 *   Native runs print no counter: main gave up on the worker.
 *
 * How the fix differs (fixed/self_deadlock.c)
 *   update_many calls an unlocked helper, update_locked(), that expects
 *   the caller to hold the lock; update() is that helper wrapped in lock and
 *   unlock. Every path takes the lock exactly once. The other fix is a
 *   recursive mutex (PTHREAD_MUTEX_RECURSIVE, Python's RLock), which counts
 *   how many times its owner has locked it.
 *
 * racelab:
 *   class:    self-deadlock
 *   params:   rounds=10 batch=3
 *   verify:   rounds=1 batch=2
 *   grade:    rounds=1..1000 batch=1..10
 *   stress:   rounds=100000 batch=3
 *   output:   Counter: {rounds * batch}
 *   creates:  1
 *   tsan:     blind -- TSan checks a double lock when the lock returns, and this one never returns
 *   helgrind: Misc @relock
 *   drd:      MutexErr @relock
 *   memcheck: Leak_PossiblyLost @create
 *   explore:  self-deadlock @first_lock @relock
 *   native:   wrong-answer
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

static void update(struct data *d)
{
    pthread_mutex_lock(&d->lock); /* @relock: the caller may hold it already */
    d->data += 1;
    pthread_mutex_unlock(&d->lock);
}

/* k updates as one step: nobody sees half of them. */
static void update_many(struct data *d, long k)
{
    pthread_mutex_lock(&d->lock); /* @first_lock */
    for (long i = 0; i < k; i++)
        update(d); /* locks d->lock again */
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
    if (pthread_create(&t, NULL, worker, &job) != 0) { /* @create */
        fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
        return 1;
    }
    if (!wait_done(200)) {
        /* The worker is stuck: it cannot be joined, and obj.lock is held
         * forever, so obj cannot be read safely either. */
        puts("worker: no answer after 0.2 s, giving up");
        return 0;
    }
    pthread_join(t, NULL);
    printf("Counter: %ld\n", obj.data);
    return 0;
}
