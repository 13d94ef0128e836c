/* atomics_lucky: a real race on `data`, next to atomics that usually hide
 * it. The writer sets data, then publishes a flag with a release store;
 * the reader, 50 ms later, loads the flag with acquire -- and reads data
 * whatever the flag said. When the reader is late (natively, nearly
 * always) the acquire orders the two and TSan sees no race; when it is
 * early, nothing orders them. Helgrind and DRD report the race in every
 * run (they do not follow acquire/release). The gate must count their
 * report (exit 1): explore's happens-before sees the accesses unordered
 * in the schedules where the reader runs first (a rule that trusted
 * TSan's one run once dismissed it as an atomics false positive). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static int data;
static atomic_int ready;

static void *writer(void *arg)
{
    data = 42; /* @race */
    atomic_store_explicit(&ready, 1, memory_order_release);
    return arg;
}

static void *reader(void *arg)
{
    usleep(50000);
    int seen = atomic_load_explicit(&ready, memory_order_acquire);
    int d = data; /* @race2 */
    printf("%d %d\n", seen, d);
    return arg;
}

int main(void)
{
    pthread_t w, r;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    return 0;
}
