/* crash: a worker writes through a null pointer. No tool can judge a
 * program that dies: exit 3. */
#include <pthread.h>
#include <stddef.h>

static int *volatile target; /* volatile: the store must happen */

static void *work(void *arg)
{
    (void)arg;
    *target = 1; /* @crash */
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, work, NULL);
    pthread_join(t, NULL);
    return 0;
}
