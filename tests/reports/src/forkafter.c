/* TSan: a race, then fork(): the child's log repeats the parent's
 * "reported 1 warnings" and holds none. */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>
static int counter;
static void *worker(void *arg)
{
    (void)arg;
    counter++; /* @bug */
    return NULL;
}
int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    return 0;
}
