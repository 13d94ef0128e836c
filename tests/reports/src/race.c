#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
static int counter;
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static void *worker(void *arg)
{
    long n = (long)arg;
    for (long i = 0; i < n; i++)
        counter += 1;
    return NULL;
}
static void *t1(void *x)
{
    (void)x;
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    return NULL;
}
static void *t2(void *x)
{
    (void)x;
    pthread_mutex_lock(&b);
    pthread_mutex_lock(&a);
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    return NULL;
}
int main(int argc, char **argv)
{
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, worker, (void *)1000L);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    printf("Counter: %d\n", counter);
    if (argc > 1) {
        pthread_create(&th[0], NULL, t1, NULL);
        pthread_join(th[0], NULL);
        pthread_create(&th[1], NULL, t2, NULL);
        pthread_join(th[1], NULL);
        pthread_create(&th[0], NULL, t1, NULL); /* unjoined, finishes */
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
    }
    return 0;
}
