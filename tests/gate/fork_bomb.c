/* A fork bomb, tamed for a test: up to 100 children that sleep, forked
 * as fast as the system lets; a refused fork is tried again until the
 * run's limit (or racelab's timeout) ends it. Each child holds a thread. */
#include <pthread.h>
#include <unistd.h>

static void *idle(void *arg)
{
    (void)arg;
    sleep(30);
    return NULL;
}

int main(void)
{
    for (int made = 0; made < 100;) {
        pid_t pid = fork();
        if (pid == 0) {
            pthread_t t;
            pthread_create(&t, NULL, idle, NULL);
            pthread_join(t, NULL);
            _exit(0);
        }
        if (pid > 0)
            made++;
        else
            usleep(10 * 1000);
    }
    sleep(30);
    return 0;
}
