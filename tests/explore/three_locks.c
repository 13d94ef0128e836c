/* three_locks: three threads take three locks in a rotating order (a->b,
 * b->c, c->a): a cycle of three, a deadlock when each holds its first.
 *
 * check-expect: 1 explore: 1 finding.*(lock-cycle.*'a'.*|deadlock)
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER, c = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t *order[3][2] = {{&a, &b}, {&b, &c}, {&c, &a}};
static int total;

static void *worker(void *arg)
{
    pthread_mutex_t **o = arg;
    pthread_mutex_lock(o[0]);
    pthread_mutex_lock(o[1]);
    total++;
    pthread_mutex_unlock(o[1]);
    pthread_mutex_unlock(o[0]);
    return NULL;
}

int main(void)
{
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, worker, order[i]);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    printf("total %d\n", total);
    return 0;
}
