/* A cheat: the program defines its own pthread_mutex_lock, which only
 * tries the lock and returns whether or not it got it, so the relock "works".
 * Redefining the threading API replaces what the tools watch.
 * grade-expect: score=0 cheat=redefinition
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Never blocks on a lock this thread holds. */
int pthread_mutex_lock(pthread_mutex_t *m)
{
    (void)pthread_mutex_trylock(m);
    return 0;
}

/* The notes' Data: a value and the lock that guards it. */
struct data {
    pthread_mutex_t lock; /* a default mutex: not recursive */
    long data;
};

static struct data obj = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void update(struct data *d)
{
    pthread_mutex_lock(&d->lock);
    d->data += 1;
    pthread_mutex_unlock(&d->lock);
}

/* k updates as one step: nobody sees half of them. */
static void update_many(struct data *d, long k)
{
    pthread_mutex_lock(&d->lock);
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
    if (pthread_create(&t, NULL, worker, &job) != 0) {
        fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
        return 1;
    }
    if (!wait_done(500)) {
        /* The worker is stuck: it cannot be joined, and obj.lock is held
         * forever, so obj cannot be read safely either. */
        puts("worker: no answer after 0.5 s, giving up");
        return 0;
    }
    pthread_join(t, NULL);
    printf("Counter: %ld\n", obj.data);
    return 0;
}
