/* TSan: double lock of a mutex. main locks m and re-initialises it, so the
 * worker's lock succeeds while TSan still sees main holding m. */
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m); /* @bug: TSan still sees main holding m */
    return NULL;
}
int main(void)
{
    pthread_mutex_lock(&m);
    pthread_mutex_init(&m, NULL); /* re-initialised while locked */
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    return 0;
}
