/* TSan: use of a destroyed (invalid) mutex. */
#include <pthread.h>
int main(void)
{
    pthread_mutex_t m;
    pthread_mutex_init(&m, NULL);
    pthread_mutex_destroy(&m);
    pthread_mutex_lock(&m); /* @bug: destroyed */
    pthread_mutex_unlock(&m);
    return 0;
}
