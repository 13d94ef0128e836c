/* atomics_and_race: a release/acquire flag (correct) and, beside it, a
 * plain counter both threads add to with no lock (a real race). Using
 * atomics excuses nothing: TSan confirms the counter's race, so Helgrind's
 * and DRD's reports of it count; only their reports on the flag are the
 * known limitation. */
#include <pthread.h>
#include <stdatomic.h>

static atomic_int ready;
static int counter;

static void *worker(void *arg)
{
    (void)arg;
    counter++; /* @race: no lock */
    atomic_store_explicit(&ready, 1, memory_order_release); /* @store */
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    counter++; /* @race2: the other side */
    while (!atomic_load_explicit(&ready, memory_order_acquire)) /* @load */
        ;
    pthread_join(t, NULL);
    return 0;
}
