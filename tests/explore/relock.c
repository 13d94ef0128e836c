/* relock: a function holding a plain mutex calls a helper that locks it
 * again: a self-deadlock, in every schedule.
 *
 * check-expect: 1 explore: 1 finding.*self-deadlock.*non-recursive mutex locked again
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int count;

static void add_one(void)
{
    pthread_mutex_lock(&m);
    count++;
    pthread_mutex_unlock(&m);
}

static void add_two(void)
{
    pthread_mutex_lock(&m);
    add_one(); /* locks m again */
    add_one();
    pthread_mutex_unlock(&m);
}

int main(void)
{
    add_two();
    printf("%d\n", count);
    return 0;
}
