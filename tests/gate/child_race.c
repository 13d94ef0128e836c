/* child_race: main forks a child that races on `counter` and exits 0,
 * then waits for it and exits 0 only if the child succeeded (as a test
 * runner does). Under TSan the child's race makes TSan end it with its
 * exitcode: the parent must see the child fail (exit 3 here), as it would
 * under TSan without racelab -- with exitcode=0 it saw success. The
 * child's race is a finding (exit 1). */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static int counter;

static void *bump(void *arg)
{
    counter++; /* @race */
    return arg;
}

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t a, b;
        pthread_create(&a, NULL, bump, NULL);
        pthread_create(&b, NULL, bump, NULL);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        _exit(0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return 2;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 3;
}
