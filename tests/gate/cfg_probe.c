/* cfg_probe: like locked_by_cfg, but what the test changes is which header
 * is found, not what a header says. cfg.h comes from an -I directory
 * unless one appears next to this file (searched first), and a file
 * opt/off.h, once it exists, turns the lock off through __has_include.
 * The build cache must see a header that appears, not only one that
 * changes: a stale CLEAN binary is the worst a gate can give. */
#include <pthread.h>

#include "cfg.h"
#if __has_include("opt/off.h")
#undef USE_LOCK
#define USE_LOCK 0
#endif

static int counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *work(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        if (USE_LOCK)
            pthread_mutex_lock(&lock);
        counter++; /* @race: when USE_LOCK is 0 */
        if (USE_LOCK)
            pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    return 0;
}
