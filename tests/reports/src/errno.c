/* TSan: a signal handler spoils errno. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
static void handler(int sig)
{ /* @bug: TSan names the handler */
    (void)sig;
    errno = 0; /* spoils the interrupted code's errno */
}
static void *worker(void *arg)
{
    (void)arg;
    return NULL;
}
int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    signal(SIGALRM, handler);
    alarm(1);
    sleep(2);
    pthread_join(t, NULL);
    return 0;
}
