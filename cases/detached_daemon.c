/*
 * detached_daemon: a data race with a detached thread: main reads the
 * daemon's progress while the daemon still works, and returns without
 * waiting for it.
 *
 * What it does
 *   main starts a "saver" thread, detached, and hands it a batch of JOBS
 *   records to save. The saver saves them one by one, counting them in
 *   `processed`; when the batch is done it waits for more work, forever, as
 *   a background service does. Meanwhile main does its own work (here a
 *   100 ms nap stands in for it), then prints `processed` and returns. The
 *   right answer is JOBS.
 *   It is the course notes' Python daemon thread: `deamon_thread.daemon =
 *   True`, "this deamon thread will end as soon as main ends, won't print
 *   anything". A detached pthread is the C daemon: nobody can join it, so
 *   nobody waits for it.
 *
 * Where the bug is
 *   Nothing makes main wait for the saver, and nothing can:
 *   - main's read of `processed` (@read) and the saver's writes (@done) are
 *     unordered, a data race. If the saver is still busy, main prints a
 *     snapshot taken mid-batch: a wrong count.
 *   - Returning from main calls exit(), which ends the whole process, every
 *     thread in it, wherever each one is: the saver dies mid-record, its
 *     work cut off. Python at least joins its non-daemon threads at
 *     shutdown; C joins nothing: after main returns, every thread is a
 *     daemon. Detaching only removes the way to wait.
 *   - The saver has no way to be told to stop, so even a main that wanted
 *     a clean shutdown could not get one.
 *
 * What the tools say
 *   TSan reports the data race on processed, @done vs @read, with a note,
 *   "As if synchronized via sleep", pointing at main's nap (@nap): a sleep
 *   is all that put the saver's writes first (the note is context, not a
 *   side of the race). No thread leak: TSan never reports a detached
 *   thread, and this one is still running anyway.
 *   Helgrind reports the race on processed at main's read, conflicting with
 *   the saver's write. DRD reports only main's load (@read).
 *   memcheck reports Leak_PossiblyLost (272 bytes) at pthread_create: the
 *   saver is alive when the process exits, so glibc's per-thread TLS vector
 *   (calloc'd with its stack and TCB) is never handed back.
 *   The findings are the same every run: with small JOBS the saver finishes
 *   its batch long before main's nap ends (under Valgrind, which runs one
 *   thread at a time, main's nap is where the saver gets to run), so all
 *   its writes come before main's read, and it is always idle but alive
 *   when the process exits. Without the nap, main often reads before the
 *   saver has even started: TSan reports nothing, and DRD blames the other
 *   line. With a big batch (the native stress run) main wakes up first and
 *   prints a count short of JOBS.
 *
 * How the fix differs (fixed/detached_daemon.c)
 *   The saver is joinable and takes a stop flag, protected by a mutex: once
 *   its batch is done it checks the flag on every idle tick and returns
 *   when it is set. main sets the flag, then joins the saver: join is the
 *   handshake, it returns only when the saver has finished, and it orders
 *   the saver's writes before main's read. Nothing runs past main.
 *
 * racelab:
 *   class:    detached-daemon
 *   params:   jobs=5
 *   verify:   jobs=2
 *   grade:    jobs=1..50
 *   stress:   jobs=50000
 *   output:   processed: {jobs}
 *   creates:  1
 *   tsan:     data-race processed @done @read
 *   helgrind: Race processed @read @done
 *   drd:      ConflictingAccess @read
 *   memcheck: Leak_PossiblyLost @create
 *   explore:  wrong-answer
 *   native:   wrong-answer
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long jobs;      /* the batch: set by main before pthread_create */
static long processed; /* records saved so far: the saver writes, main reads */

static const struct timespec idle_tick = {0, 1000 * 1000};       /* 1 ms */
static const struct timespec main_work = {0, 100 * 1000 * 1000}; /* 100 ms */

/* One record's worth of work, standing in for writing it to disk: the
 * notes' do_work loop (volatile keeps the compiler from deleting it). */
static void save_record(void)
{
    volatile double x = 1.0;

    for (int i = 0; i < 1000; i++)
        x = x * 1.01;
}

/* The daemon. It never returns: it ends when the process does. */
static void *saver(void *arg)
{
    (void)arg;
    for (;;) {
        if (processed < jobs) {
            save_record();
            processed++; /* @done: main may be reading it */
        } else {
            nanosleep(&idle_tick, NULL); /* no work: look again in a moment */
        }
    }
    return NULL; /* never reached: the process's exit ends this thread */
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s JOBS\n", argv[0]);
        return 2;
    }
    jobs = atol(argv[1]);
    if (jobs < 0) {
        fprintf(stderr, "detached_daemon: JOBS must be >= 0\n");
        return 2;
    }

    /* Python: daemon = True, set before start(). */
    pthread_attr_t attr;
    pthread_t tid;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&tid, &attr, saver, NULL) != 0) { /* @create */
        fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
        return 1;
    }
    pthread_attr_destroy(&attr);
    printf("Main: saver started with %ld jobs\n", jobs);

    nanosleep(&main_work, NULL); /* @nap: main's own work, not a wait */

    printf("processed: %ld\n", processed); /* @read: still being written */
    printf("Main done!!\n");
    return 0; /* exit(): the saver dies here, wherever it is */
}
