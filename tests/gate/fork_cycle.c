/* fork_cycle: a real lock-order deadlock in a forked child, next to the
 * parent's gated cycle through the same lines (an outside reviewer's
 * attack, a regression test of gate.evidence-attacks).
 * Parent: two threads take a/b in opposite orders through take2(), each
 * under the gate mutex g (safe: a known TSan false positive).
 * Child (fork): two concurrent threads take c/d in opposite orders through
 * the SAME take2() lines, with no gate: a real deadlock-capable cycle
 * (the second thread starts 20 ms later, so runs do not hang).
 * Expected: exit 1 (the child's cycle is real; TSan reports it). Once
 * exit 0: explore did not follow the child and said nothing, and the
 * parent's gated-cycle evidence covered take2()'s lines. Now a fork marks
 * explore's evidence incomplete, and nothing is dismissed on it. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER, d = PTHREAD_MUTEX_INITIALIZER;
static int shared;

static void take2(pthread_mutex_t *gate, pthread_mutex_t *x, pthread_mutex_t *y)
{
    if (gate)
        pthread_mutex_lock(gate);
    pthread_mutex_lock(x);
    pthread_mutex_lock(y);
    shared++;
    pthread_mutex_unlock(y);
    pthread_mutex_unlock(x);
    if (gate)
        pthread_mutex_unlock(gate);
}

static void *p_ab(void *arg) { take2(&g, &a, &b); return arg; }
static void *p_ba(void *arg) { take2(&g, &b, &a); return arg; }
static void *c_cd(void *arg) { take2(NULL, &c, &d); return arg; }
static void *c_dc(void *arg) { usleep(20000); take2(NULL, &d, &c); return arg; }

static void two(void *(*f1)(void *), void *(*f2)(void *))
{
    pthread_t t1, t2;
    pthread_create(&t1, NULL, f1, NULL);
    pthread_create(&t2, NULL, f2, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 2) /* "-- child-only": the control, no parent cycle */
        two(p_ab, p_ba);
    pid_t pid = fork();
    if (pid == 0) {
        two(c_cd, c_dc);
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return 0;
}
