/*
 * lost_wakeup: a lost wake-up: a thread signals a condition variable before
 * the other thread waits on it, and with no flag to look at, the waiter
 * sleeps forever.
 *
 * What it does
 *   main starts a loader thread that computes a table (here: the sum
 *   1 + 2 + ... + N) and then tells main it is ready: it locks the mutex,
 *   signals the condition variable `ready`, and unlocks. main, after
 *   starting the loader, does its own short piece of work (a table of
 *   squares), then locks the mutex and waits on `ready`; when it wakes up
 *   it joins the loader and prints both results. The loader's work takes
 *   a little while (a 100 ms nap stands in for reading a file), so on an
 *   idle machine main is always waiting by the time the signal comes, and
 *   the program looks right.
 *   The course notes have no Event example (threading.Event: set() and
 *   wait()); an Event is the fix below, a flag plus a condition variable.
 *   The nearest thing in the notes is their Condition: "cond.notify():
 *   The Producer acquires the lock ... and then calls notify(). This wakes
 *   up one sleeping Consumer thread": ONE SLEEPING thread. A thread that is
 *   not asleep yet is not woken, and nothing remembers the notify.
 *
 * Where the bug is
 *   @signal and @wait. A condition variable has no memory: a signal with no
 *   waiter does nothing at all. If the loader signals first, main waits
 *   for a signal that has already come and gone:
 *
 *       loader: lock, signal `ready` (nobody waits: lost), unlock
 *       main:   lock, wait `ready`           -> sleeps forever
 *
 *   Whether that happens is timing: the nap makes it rare, not impossible
 *   (a loaded machine can hold main back for longer than 100 ms, or the
 *   loader may find its file cached; main's own work before the wait only
 *   widens the window). main also has nothing to check when
 *   it wakes up, so a spurious wake-up would let it carry on early.
 *
 * --hang
 *   Makes the lost wake-up certain: main first waits (at a barrier, not on
 *   the condition) until the loader has signalled, then waits on `ready`.
 *   It never returns.
 *
 * What the tools say
 *   TSan, Helgrind, DRD and memcheck are blind: the signal and the wait are
 *   correct calls, each made holding the mutex, and main reads the sum only
 *   after joining the loader, so there is no race and no misuse. In a run
 *   where the wake-up is lost the program hangs, and a detector has
 *   nothing to report about a thread that sleeps. explore finds the
 *   schedule where the loader runs first (sleeps take no time there) and
 *   reports the deadlock: main waits on `ready` (@wait) and no thread is
 *   left that could signal it. Natively only --hang shows it: the watchdog
 *   calls it a deadlock.
 *
 * How the fix differs (fixed/lost_wakeup.c)
 *   A flag, `loaded`, set by the loader under the mutex before it signals,
 *   and main waits in a loop: `while (!loaded) pthread_cond_wait(...)`.
 *   If the loader was first, main sees the flag and never sleeps; if main
 *   was first, the signal wakes it and it sees the flag. The flag is the
 *   memory the condition variable does not have: that is threading.Event.
 *
 * racelab:
 *   class:    lost-wakeup
 *   params:   n=1000
 *   verify:   n=2
 *   grade:    n=1..100000
 *   stress:   n=1000000
 *   output:   Sum: {n * (n + 1) / 2}
 *   creates:  1
 *   tsan:     blind -- the signal and the wait are correct calls under the mutex: no race, and a hang is no report
 *   helgrind: blind -- the signal and the wait are correct calls under the mutex: no race, no misuse
 *   drd:      blind -- the signal and the wait are correct calls under the mutex: no race, no misuse
 *   memcheck: blind -- no memory is misused
 *   explore:  deadlock @wait
 *   native:   deadlock with --hang
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER; /* "the table is loaded" */
static pthread_barrier_t signalled; /* --hang only: main waits until the loader signalled */
static bool hang;
static long squares[100]; /* main's own work, done while the loader loads */

struct job {
    long n;
    long long sum;
};

static void *loader(void *arg)
{
    struct job *job = arg;

    if (!hang) {
        struct timespec nap = { 0, 100 * 1000 * 1000 }; /* reading the file */
        nanosleep(&nap, NULL);
    }
    long n = job->n;
    long long sum = 0;
    for (long i = 1; i <= n; i++)
        sum += i;
    job->sum = sum;

    pthread_mutex_lock(&lock);
    pthread_cond_signal(&ready); /* @signal: if main is not waiting yet, this is lost */
    pthread_mutex_unlock(&lock);

    if (hang)
        pthread_barrier_wait(&signalled);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--hang") != 0)) {
        fprintf(stderr, "usage: %s N [--hang]\n", argv[0]);
        return 2;
    }
    struct job job = { .n = atol(argv[1]) };
    hang = argc == 3;
    if (job.n < 0 || job.n > 100000000) {
        fprintf(stderr, "lost_wakeup: N must be 0..100000000\n");
        return 2;
    }
    if (hang)
        pthread_barrier_init(&signalled, NULL, 2);

    pthread_t t;
    if (pthread_create(&t, NULL, loader, &job) != 0) {
        fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
        return 1;
    }
    if (hang)
        pthread_barrier_wait(&signalled); /* the loader has signalled by now */
    for (long i = 0; i < 100; i++) /* meanwhile, main's own work */
        squares[i] = i * i;

    pthread_mutex_lock(&lock);
    pthread_cond_wait(&ready, &lock); /* @wait: no flag to check: was the signal already sent? */
    pthread_mutex_unlock(&lock);

    pthread_join(t, NULL);
    long long sq = 0;
    for (long i = 0; i < 100; i++)
        sq += squares[i];
    printf("Squares below 100: %lld\n", sq);
    printf("Sum: %lld\n", job.sum);
    return 0;
}
