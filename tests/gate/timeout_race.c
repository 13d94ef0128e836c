/* timeout_race: a REAL race. The consumer waits at most 100 ms for the
 * producer's result (sem_timedwait) and, on a timeout, reads the result
 * anyway ("best effort") -- unsynchronised with the producer, which may
 * still be writing it. The producer first does some CPU work (a few ms
 * natively, hundreds of ms under Valgrind). A relaxed atomic counts the
 * waits (statistics).
 * Expected: exit 1 (Helgrind and DRD see the race in their run; it is
 * real whenever the producer is slow). Once exit 0: explore's timed wait
 * never timed out, so it saw the pair ordered in every schedule. Now a
 * call with a time limit marks explore's evidence incomplete. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static sem_t done;
static long result;
static atomic_int waits;

static void *producer(void *arg)
{
    unsigned long x = 88172645463325252ul;
    for (long i = 0; i < 3000000; i++) { /* CPU work */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    result = (long)(x & 0xffff); /* @write */
    sem_post(&done);
    return arg;
}

int main(void)
{
    sem_init(&done, 0, 0);
    pthread_t t;
    pthread_create(&t, NULL, producer, NULL);
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_nsec += 100000000;
    if (dl.tv_nsec >= 1000000000) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000;
    }
    atomic_fetch_add_explicit(&waits, 1, memory_order_relaxed);
    int ok;
    while ((ok = sem_timedwait(&done, &dl)) != 0 && errno == EINTR)
        ;
    long r = result; /* @read: unsynchronised after a timeout */
    printf("%s %ld\n", ok == 0 ? "done" : "timed out", r);
    pthread_join(t, NULL);
    return 0;
}
