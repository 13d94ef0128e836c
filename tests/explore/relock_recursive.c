/* relock_recursive: the same as relock.c with a recursive mutex: allowed,
 * and clean.
 *
 * check-expect: 0 explore: clean in 100 schedules
 */
#define _GNU_SOURCE /* PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static int count;

static void add_one(void)
{
    pthread_mutex_lock(&m);
    count++;
    pthread_mutex_unlock(&m);
}

static void *add_two(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    add_one();
    add_one();
    pthread_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, add_two, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("%d\n", count);
    return count == 4 ? 0 : 1;
}
