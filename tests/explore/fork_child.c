/* fork_child: a threaded program forks a child that only does what a
 * child of a threaded program may (async-signal-safe calls: write,
 * _exit); the parent waits for it. The child runs outside the schedule;
 * the run is clean. (A first version of this test locked a mutex in the
 * child, and explore found the classic bug in it: a schedule where
 * another thread held the mutex at the fork, so the child waits forever
 * for a thread it does not have. explore calls that a hang: TIMEOUT.)
 *
 * check-expect: 0 explore: clean in 100 schedules
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int n;

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    n++;
    pthread_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        static const char hello[] = "child\n";
        ssize_t w = write(1, hello, sizeof hello - 1);
        _exit(w == (ssize_t)sizeof hello - 1 ? 0 : 1);
    }
    int status = 1;
    waitpid(pid, &status, 0);
    pthread_join(t, NULL);
    printf("n %d child %d\n", n, status);
    return n == 1 && status == 0 ? 0 : 1;
}
