/*
 * detached_daemon, fixed: the saver can be told to stop, and main waits
 * until it has.
 * Must show: clean under every tool (no race, no thread left running); processed: JOBS in every run.
 *
 * The fix
 *   Two pieces, and both are needed:
 *   - A stop flag, protected by a mutex. main sets it when it no longer
 *     needs the saver; the saver checks it once its batch is done, on every
 *     idle tick, and returns when it is set. "Stop" means "finish what you
 *     were given, then exit": the batch is never cut off.
 *   - A completion handshake: the thread is created joinable (the default)
 *     and main joins it after setting the flag. pthread_join returns only
 *     when the saver has returned, and it orders everything the saver did
 *     before main's next line, so main reads the final `processed` without
 *     a race. It also hands back the thread's stack and control block.
 *   A flag alone is not enough: main would still return while the saver is
 *   between two checks of it. A join alone would wait forever: the saver
 *   has no reason to return.
 *   (Python: a non-daemon thread with a threading.Event it polls, then
 *   stop.set() and t.join().)
 *
 * Why `processed` needs no lock
 *   Only the saver touches it until main has joined the saver; after the
 *   join only main does. The join is the one hand-over point.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long jobs;      /* the batch: set by main before pthread_create */
static long processed; /* records saved so far: the saver's, until the join */

static pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;
static bool stop; /* set by main under stop_lock: finish the batch, return */

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

static bool stop_requested(void)
{
    pthread_mutex_lock(&stop_lock);
    bool s = stop;
    pthread_mutex_unlock(&stop_lock);
    return s;
}

/* The saver. It returns once its batch is done and main has asked it to. */
static void *saver(void *arg)
{
    (void)arg;
    for (;;) {
        if (processed < jobs) {
            save_record();
            processed++; /* no one else looks at it until main's join */
        } else if (stop_requested()) {
            return NULL; /* all saved, and told to stop: main's join returns */
        } else {
            nanosleep(&idle_tick, NULL); /* no work: look again in a moment */
        }
    }
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

    pthread_t tid;
    if (pthread_create(&tid, NULL, saver, NULL) != 0) { /* joinable */
        fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
        return 1;
    }
    printf("Main: saver started with %ld jobs\n", jobs);

    nanosleep(&main_work, NULL); /* main's own work */

    pthread_mutex_lock(&stop_lock);
    stop = true; /* tell the saver: finish up and return */
    pthread_mutex_unlock(&stop_lock);
    pthread_join(tid, NULL); /* the handshake: wait until it has */

    printf("processed: %ld\n", processed); /* final: the saver has returned */
    printf("Main done!!\n");
    return 0;
}
