/* lock_ring: N threads (argument, default 7; 2..64), thread i takes lock
 * i, then lock i+1 (mod N): a lock-order cycle through N mutexes that can
 * deadlock (each thread holding its first lock). The gate must fail on it
 * with the default tools (exit 1): explore's lock graph reports the cycle
 * whatever its length, and nothing dismisses TSan's or Helgrind's report
 * (a graph that searched cycles of up to 6 locks once let both pass).
 * The threads run one after the other, so no run deadlocks for real. */
#include <pthread.h>
#include <stdlib.h>

#define MAX 64

static pthread_mutex_t m[MAX];
static int n = 7, shared;

static void *take_two(void *arg)
{
    int i = (int)(long)arg;
    pthread_mutex_lock(&m[i]);
    pthread_mutex_lock(&m[(i + 1) % n]); /* @next */
    shared++;
    pthread_mutex_unlock(&m[(i + 1) % n]);
    pthread_mutex_unlock(&m[i]);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        n = atoi(argv[1]);
    if (n < 2 || n > MAX)
        return 2;
    for (int i = 0; i < n; i++)
        pthread_mutex_init(&m[i], NULL);
    for (int i = 0; i < n; i++) {
        pthread_t t;
        pthread_create(&t, NULL, take_two, (void *)(long)i);
        pthread_join(t, NULL);
    }
    return shared == n ? 0 : 1;
}
