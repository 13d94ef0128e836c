/* race_exit42: a race on `counter`, then main returns 42 (as a test
 * program that checks its own answer may). The finding decides: the gate
 * exits 1 with the program's status named, not "undecided" (3). */
#include <pthread.h>

static int counter;

static void *bump(void *arg)
{
    counter++; /* @race */
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, bump, NULL);
    pthread_create(&b, NULL, bump, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 42;
}
