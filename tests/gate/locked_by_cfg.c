/* locked_by_cfg: whether the counter is locked is decided in a header
 * (cfg.h: USE_LOCK 1 or 0, written by the test). The build cache must see
 * the header change: a stale CLEAN binary is the worst a gate can give. */
#include <pthread.h>

#include "cfg.h"

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
    return counter == 200 ? 0 : 0;
}
