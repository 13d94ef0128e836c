/*
 * lock_order: a potential deadlock: two threads take the same two locks in
 * opposite orders.
 *
 * What it does
 *   Thread 1 takes lock_a, then lock_b; thread 2 takes lock_b, then
 *   lock_a. Holding both, each adds 1 to a shared counter, ROUNDS times.
 *   main prints the counter: 2 * ROUNDS. By default main runs the threads
 *   one after the other (thread 2 starts once thread 1 has been joined), so
 *   the program always finishes. With --hang they run at the same time and
 *   it deadlocks, every time.
 *   (The course notes: fun1 does `with lock1:` then `with lock2:`, fun2
 *   does `with lock2:` then `with lock1:`, a time.sleep(.1) in between, and
 *   the program prints "Thread 1 working!!", "Thread 2 working!!" and never
 *   ends. lock_a is their lock1, lock_b their lock2.)
 *
 * Where the bug is
 *   @t1_second and @t2_second: each thread asks for its second lock while
 *   it holds its first, and the two orders are opposite:
 *
 *       T1: holds lock_a, waits for lock_b
 *       T2: holds lock_b, waits for lock_a     -> each waits for the other
 *
 *   Neither wait can end, because each is waiting for a lock the other
 *   will only release after its own wait ends. Whether a run gets there is
 *   timing (both must hold their first lock at once); the bug is the two
 *   orders, and it is there in every run, including the runs that finish.
 *
 * --hang
 *   Starts both threads together and makes the deadlock certain instead of
 *   likely: after taking its first lock, each thread waits at a barrier
 *   until the other has tried to take its own (see meet). Both leave the
 *   barrier holding one lock and then ask for the other's. The course
 *   notes' time.sleep(.1) does the same job, usually.
 *
 * What the tools say
 *   TSan and Helgrind keep a graph of "lock Y taken while holding lock X".
 *   Thread 1 adds a -> b, thread 2 adds b -> a: a cycle, reported as a
 *   potential deadlock although this run never deadlocked (its threads did
 *   not even overlap in time). TSan names all four acquisitions (with
 *   second_deadlock_stack=1). Helgrind reports thread 2 taking lock_a while
 *   holding lock_b (@t2_second) against the order thread 1 established
 *   (@t1_first, @t1_second); its text output also shows @t2_first, its XML
 *   does not. No variable is named: a lock cycle is not a data race. DRD is
 *   blind: it has no lock-order check at all (it finds races and misuse of
 *   the pthread API). memcheck is blind: nothing misuses memory.
 *   With --hang nobody reports anything: TSan and Helgrind add an edge to
 *   the graph when a lock is acquired while another is held, and neither
 *   second lock ever is, so there is no cycle to see. A real deadlock is
 *   caught by a watchdog, not by a detector.
 *
 * How the fix differs (fixed/lock_order.c)
 *   One global lock order: both threads take lock_a, then lock_b. The
 *   cycle cannot form: whoever holds lock_a can always get lock_b, and the
 *   other thread waits for lock_a while holding nothing. With --hang the
 *   fixed program runs the same barrier code and finishes.
 *
 * racelab:
 *   class:    lock-order
 *   params:   rounds=10
 *   verify:   rounds=1
 *   grade:    rounds=1..1000
 *   stress:   rounds=100000
 *   output:   Counter: {2 * rounds}
 *   creates:  2
 *   tsan:     lock-order-inversion @t1_first @t1_second @t2_first @t2_second
 *   helgrind: LockOrder @t1_first @t1_second @t2_first @t2_second
 *   drd:      blind -- DRD has no lock-order check, and this run never hangs
 *   memcheck: blind -- locks are misused, memory is not: memcheck checks memory
 *   explore:  lock-cycle @t1_first @t1_second @t2_first @t2_second
 *   native:   deadlock with --hang
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
 * Returns whether we hold ours. With opposite orders the two first locks
 * differ, both trylocks succeed and both threads leave the barrier holding
 * one lock each: the deadlock is certain. (trylock, not lock, is for the
 * fixed order, where both threads want lock_a first: the one that fails
 * must still reach the barrier, or the other would wait there forever
 * holding the lock it needs. It takes the lock for real afterwards.)
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
            pthread_mutex_lock(&lock_a); /* @t1_first: a first */
        if (i == 0)
            printf("Thread 1 working!!\n");
        pthread_mutex_lock(&lock_b); /* @t1_second: then b, holding a */
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
        bool held = hang && i == 0 && meet(&lock_b);
        if (!held)
            pthread_mutex_lock(&lock_b); /* @t2_first: b first */
        if (i == 0)
            printf("Thread 2 working!!\n");
        pthread_mutex_lock(&lock_a); /* @t2_second: then a, holding b */
        counter += 1;
        pthread_mutex_unlock(&lock_a);
        pthread_mutex_unlock(&lock_b);
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
        /* One after the other: no overlap, so no deadlock, yet both lock
         * orders happen, and that is all a lock-order detector needs. */
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
