/* gate_lock: two threads take a and b in opposite orders, but always
 * while holding the gate lock g: only one of them can be inside at a
 * time, so the inversion cannot deadlock. TSan and Helgrind report it;
 * explore must not.
 *
 * check-expect: 0 explore: clean in 100 schedules
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER, a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int total;

static void both(pthread_mutex_t *first, pthread_mutex_t *second)
{
    pthread_mutex_lock(&g);
    pthread_mutex_lock(first);
    pthread_mutex_lock(second);
    total++;
    pthread_mutex_unlock(second);
    pthread_mutex_unlock(first);
    pthread_mutex_unlock(&g);
}

static void *ab(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5; i++)
        both(&a, &b);
    return NULL;
}

static void *ba(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5; i++)
        both(&b, &a);
    return NULL;
}

int main(void)
{
    pthread_t t1, t2;
    pthread_create(&t1, NULL, ab, NULL);
    pthread_create(&t2, NULL, ba, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("total %d\n", total);
    return total == 10 ? 0 : 1;
}
