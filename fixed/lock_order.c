/*
 * lock_order, fixed: both threads take the two locks in the same order.
 * Must show: clean under every tool (no lock-order cycle); never deadlocks, --hang included.
 *
 * The fix
 *   One global lock order, lock_a before lock_b, kept by every thread that
 *   needs both. Thread 2 now takes lock_a, then lock_b, like thread 1. A
 *   deadlock needs a cycle, each thread holding a lock the next one waits
 *   for; with one order the thread that holds lock_a can always get lock_b
 *   (nobody holds lock_b without lock_a), and the other thread waits for
 *   lock_a while it holds nothing. (Python: `with lock1:` then
 *   `with lock2:` in both fun1 and fun2.)
 *
 * --hang
 *   Runs the same barrier code as the buggy program and finishes: only one
 *   thread gets lock_a before the barrier, the other blocks on lock_a after
 *   it, holding nothing, until the first is done with both locks.
 *
 * Other ways out
 *   Order the locks by address when they are not known in advance (lock the
 *   lower address first), or take one lock that covers both. A
 *   pthread_mutex_trylock on the second lock that backs off and retries also
 *   avoids the deadlock, but can livelock; one order is simpler.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER; /* lock1 */
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER; /* lock2 */
static long counter; /* changed only with both locks held */

static bool hang;               /* --hang: run both threads at once */
static pthread_barrier_t met;   /* --hang: both tried their first lock */

/*
 * --hang, first round: try to take the first lock, then wait at the
 * barrier until the other thread has tried to take its own first lock.
 * Returns whether we hold ours. With one order both threads want lock_a
 * first, so one trylock fails; that thread still reaches the barrier (a
 * blocking lock here would leave the other waiting at the barrier forever,
 * holding the lock this one needs) and takes lock_a for real afterwards,
 * once the other thread is done with it. In the buggy program, where the
 * first locks differ, both trylocks succeed and the deadlock is certain.
 */
static bool meet(pthread_mutex_t *first)
{
    bool held = pthread_mutex_trylock(first) == 0;

    pthread_barrier_wait(&met);
    return held;
}

static void *fun1(void *arg)
{
    long rounds = *(const long *)arg;

    for (long i = 0; i < rounds; i++) {
        /* --hang: the first round meets the other thread first */
        bool held = hang && i == 0 && meet(&lock_a);
        if (!held)
            pthread_mutex_lock(&lock_a); /* a first */
        if (i == 0)
            printf("Thread 1 working!!\n");
        pthread_mutex_lock(&lock_b); /* then b, holding a */
        counter += 1;
        pthread_mutex_unlock(&lock_b);
        pthread_mutex_unlock(&lock_a);
    }
    return NULL;
}

static void *fun2(void *arg)
{
    long rounds = *(const long *)arg;

    for (long i = 0; i < rounds; i++) {
        /* --hang: the first round meets the other thread first */
        bool held = hang && i == 0 && meet(&lock_a);
        if (!held)
            pthread_mutex_lock(&lock_a); /* a first, as in fun1 */
        if (i == 0)
            printf("Thread 2 working!!\n");
        pthread_mutex_lock(&lock_b); /* then b, holding a: the same order */
        counter += 1;
        pthread_mutex_unlock(&lock_b);
        pthread_mutex_unlock(&lock_a);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--hang") != 0)) {
        fprintf(stderr, "usage: %s ROUNDS [--hang]\n", argv[0]);
        return 2;
    }
    long rounds = atol(argv[1]);
    if (rounds < 1) {
        fprintf(stderr, "lock_order: ROUNDS must be >= 1\n");
        return 2;
    }
    hang = argc == 3;
    setvbuf(stdout, NULL, _IOLBF, 0); /* show progress even if we hang */

    pthread_t t1, t2;
    if (hang) {
        /* Both at once: the deadlock of the course notes. */
        pthread_barrier_init(&met, NULL, 2);
        if (pthread_create(&t1, NULL, fun1, &rounds) != 0 ||
            pthread_create(&t2, NULL, fun2, &rounds) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
        pthread_join(t1, NULL);
        pthread_join(t2, NULL);
        pthread_barrier_destroy(&met);
    } else {
        /* One after the other, as in the buggy program. */
        if (pthread_create(&t1, NULL, fun1, &rounds) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
        pthread_join(t1, NULL);
        if (pthread_create(&t2, NULL, fun2, &rounds) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            return 1;
        }
        pthread_join(t2, NULL);
    }

    printf("Counter: %ld\n", counter);
    return 0;
}
