/* vg_deadlock: two threads take a and b in opposite orders, each pausing
 * between: a real deadlock, every run. Under each Valgrind tool racelab
 * must call it a DEADLOCK within seconds (every thread asleep in futex(2)
 * for 0.6 s, nothing to wake them), not wait for the time limit. */
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

static void *a_then_b(void *arg)
{
    pthread_mutex_lock(&a);
    usleep(100000);
    pthread_mutex_lock(&b); /* @ab */
    return arg;
}

static void *b_then_a(void *arg)
{
    pthread_mutex_lock(&b);
    usleep(100000);
    pthread_mutex_lock(&a); /* @ba */
    return arg;
}

int main(void)
{
    pthread_t x, y;
    pthread_create(&x, NULL, a_then_b, NULL);
    pthread_create(&y, NULL, b_then_a, NULL);
    pthread_join(x, NULL);
    pthread_join(y, NULL);
    return 0;
}
