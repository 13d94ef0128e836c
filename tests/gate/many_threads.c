/* many_threads: N threads (first argument, default 600) alive at once,
 * each waiting for the last to be created. Correct; under Valgrind past
 * its --max-threads (500 by default) the run must say so. */
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int started;

static void *worker(void *arg)
{
    pthread_mutex_lock(&m);
    while (!started)
        pthread_cond_wait(&go, &m);
    pthread_mutex_unlock(&m);
    return arg;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 600;
    pthread_t *t = calloc((size_t)n, sizeof *t);
    int made = 0;
    while (t && made < n && pthread_create(&t[made], NULL, worker, NULL) == 0)
        made++;
    pthread_mutex_lock(&m);
    started = 1;
    pthread_cond_broadcast(&go);
    pthread_mutex_unlock(&m);
    for (int i = 0; i < made; i++)
        pthread_join(t[i], NULL);
    free(t);
    return made == n ? 0 : 1;
}
