/* alarm_wake: main waits on a semaphore that only a SIGALRM handler posts,
 * one second later. Every thread sleeps in futex(2) meanwhile -- but the
 * signal wakes it. Under Valgrind (which catches every signal itself, so
 * /proc cannot show the handler) racelab must not call it a deadlock: the
 * program imports sigaction, so the early check is off. Clean (exit 0). */
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static sem_t woken;

static void on_alarm(int sig)
{
    (void)sig;
    sem_post(&woken);
}

int main(void)
{
    sem_init(&woken, 0, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    while (sem_wait(&woken) != 0)
        ; /* EINTR */
    return 0;
}
