/* cfg_paths: whether the counter is locked depends on how headers are
 * found, and the test changes that, never the files the last build read:
 * sub/mode.h is a symlink it points elsewhere, flags/cfg.h comes from an
 * -I directory written with a trailing slash until a header appears in an
 * earlier one, and a __has_include with a comment before its parenthesis
 * asks for opt/off.h. force.h comes in with `-include force.h`. The build
 * cache must see each change: a stale CLEAN binary is the worst a gate
 * can give. */
#include <pthread.h>

#include "sub/mode.h"
#include <flags/cfg.h>

#define USE_LOCK (MODE_LOCK && FLAG_LOCK && FORCED)
#if __has_include/* the cache must look past this */(<opt/off.h>)
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
