/* spin_publish: a producer publishes plain data with a C11 release store;
 * three threads spin on an acquire load until it shows. Correct. Valgrind
 * runs one thread at a time: without fair scheduling the spinners can
 * starve the producer. Helgrind and DRD do not understand acquire/release
 * on plain data: their races are known tool limitations. */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#define SPINNERS 3

static int data;
static atomic_int ready;

static void *producer(void *arg)
{
    (void)arg;
    usleep(1000);
    data = 42;
    atomic_store_explicit(&ready, 1, memory_order_release);
    return NULL;
}

static void *spinner(void *arg)
{
    while (!atomic_load_explicit(&ready, memory_order_acquire))
        ; /* spin */
    return (void *)(long)(data + (arg != NULL));
}

int main(void)
{
    pthread_t p, s[SPINNERS];
    for (int i = 0; i < SPINNERS; i++)
        pthread_create(&s[i], NULL, spinner, NULL);
    pthread_create(&p, NULL, producer, NULL);
    for (int i = 0; i < SPINNERS; i++)
        pthread_join(s[i], NULL);
    pthread_join(p, NULL);
    return data == 42 ? 0 : 1;
}
