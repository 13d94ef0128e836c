/* TSan: a thread writes a block main has freed (heap-use-after-free). */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
static int *p;
static void *worker(void *arg)
{
    (void)arg;
    usleep(100000);
    *p = 1; /* @bug: after main freed it */
    return NULL;
}
int main(void)
{
    p = malloc(sizeof *p);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    free(p);
    pthread_join(t, NULL);
    return 0;
}
