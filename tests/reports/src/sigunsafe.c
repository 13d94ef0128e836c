/* TSan: malloc and free inside a signal handler. */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
static void handler(int sig)
{
    (void)sig;
    volatile char *p = malloc(16); /* @bug: not async-signal-safe */
    p[0] = 1;
    free((void *)p);
}
int main(void)
{
    signal(SIGUSR1, handler);
    kill(getpid(), SIGUSR1);
    sleep(1);
    return 0;
}
