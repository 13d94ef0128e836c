/* timed_wait: waits on a condition that nobody signals, with a deadline:
 * the wait times out and the program goes on. Clean, and never a hang.
 *
 * check-expect: 0 explore: clean in 100 schedules
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

int main(void)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 1000000; /* 1 ms */
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&m);
    int r = pthread_cond_timedwait(&never, &m, &deadline);
    pthread_mutex_unlock(&m);
    printf("%s\n", r == ETIMEDOUT ? "timed out" : "woken");
    return r == ETIMEDOUT ? 0 : 1;
}
