/* holds_lock: a thread exits still holding a mutex. Helgrind says so in
 * a "Misc" error whose stack has no frame of the program's: its own words
 * must be shown, and it is a finding (not a tool limitation). */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m); /* never unlocked */
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    return 0;
}
