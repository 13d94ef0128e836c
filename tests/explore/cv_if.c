/* cv_if: a bounded buffer whose consumers wait for an item with `if`, not
 * `while`: with two consumers, one is woken, the other takes the item
 * first, and the woken one takes from an empty buffer (or POSIX wakes it
 * without a signal). No race detector sees it: every access is locked.
 *
 * check-expect: 1 explore: 1 finding.*assertion.*count > 0.*replay: racelab check
 */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static int items[16], count;

static void put(int v)
{
    pthread_mutex_lock(&m);
    items[count++] = v;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&m);
}

static int get(void)
{
    pthread_mutex_lock(&m);
    if (count == 0) /* the bug: `while` */
        pthread_cond_wait(&not_empty, &m);
    assert(count > 0);
    int v = items[--count];
    pthread_mutex_unlock(&m);
    return v;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2; i++)
        get();
    return NULL;
}

int main(void)
{
    pthread_t c[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&c[i], NULL, consumer, NULL);
    for (int i = 0; i < 4; i++)
        put(i);
    for (int i = 0; i < 2; i++)
        pthread_join(c[i], NULL);
    puts("done");
    return 0;
}
