/* TSan: destroy of a locked mutex, after the lock before it. */
#include <pthread.h>
int main(void)
{
    pthread_mutex_t m;
    pthread_mutex_init(&m, NULL);
    pthread_mutex_lock(&m);
    pthread_mutex_destroy(&m); /* @bug: still locked */
    return 0;
}
