/* TSan: a race on main's local variable, through a pointer. */
#include <pthread.h>
#include <unistd.h>
static void *worker(void *arg)
{
    int *x = arg;
    *x = 2; /* @other: the worker's side of the race */
    return NULL;
}
int main(void)
{
    int local = 0;
    pthread_t t;
    pthread_create(&t, NULL, worker, &local);
    local = 1; /* @bug: main writes while the worker does */
    pthread_join(t, NULL);
    return local < 0; /* 0: the exit status is not what this tests */
}
