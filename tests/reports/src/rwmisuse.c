/* TSan: read lock of a write-locked rwlock (re-initialised while held). */
#include <pthread.h>
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static void *worker(void *arg)
{
    (void)arg;
    pthread_rwlock_rdlock(&rw); /* @bug: TSan still sees main writing */
    return NULL;
}
int main(void)
{
    pthread_rwlock_wrlock(&rw);
    pthread_rwlock_init(&rw, NULL);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    return 0;
}
