/* spin_flag: a thread spins on an atomic flag that another thread sets
 * with release, and then reads the data published with it (acquire).
 * Correct: clean, and it must not hang: a spinning thread yields.
 *
 * check-expect: 0 explore: clean in 100 schedules
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_int ready;
static int data;

static void *publisher(void *arg)
{
    (void)arg;
    data = 42;
    atomic_store_explicit(&ready, 1, memory_order_release);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, publisher, NULL);
    while (!atomic_load_explicit(&ready, memory_order_acquire))
        ; /* spin */
    int d = data;
    pthread_join(t, NULL);
    printf("%d\n", d);
    return d == 42 ? 0 : 1;
}
