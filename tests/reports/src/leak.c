/* TSan: a thread that finished and was never joined (thread leak). */
#include <pthread.h>
#include <unistd.h>
static void *worker(void *arg)
{
    return arg;
}
int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL); /* @bug: never joined */
    usleep(100000);
    return 0;
}
