/* A correct fix in another style: fun2 keeps its order (b, then a) but
 * only tries a, and backs off (releases b) when a is taken. It cannot
 * deadlock. Helgrind counts the trylock as a blocking acquisition and
 * reports a lock order: a known limitation, not counted.
 * grade-expect: score=100 policy=yes */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *fun1(void *arg)
{
    long rounds = *(const long *)arg;
    for (long i = 0; i < rounds; i++) {
        pthread_mutex_lock(&lock_a);
        pthread_mutex_lock(&lock_b);
        counter += 1;
        pthread_mutex_unlock(&lock_b);
        pthread_mutex_unlock(&lock_a);
    }
    return NULL;
}

static void *fun2(void *arg)
{
    long rounds = *(const long *)arg;
    for (long i = 0; i < rounds;) {
        pthread_mutex_lock(&lock_b);
        if (pthread_mutex_trylock(&lock_a) == 0) { /* never waits while holding b */
            counter += 1;
            i++;
            pthread_mutex_unlock(&lock_a);
            pthread_mutex_unlock(&lock_b);
        } else {
            pthread_mutex_unlock(&lock_b); /* back off, let fun1 finish */
            sched_yield();
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--hang") != 0)) {
        fprintf(stderr, "usage: %s ROUNDS [--hang]\n", argv[0]);
        return 2;
    }
    long rounds = atol(argv[1]);
    if (rounds < 1)
        return 2;
    pthread_t t1, t2;
    if (pthread_create(&t1, NULL, fun1, &rounds) != 0 || pthread_create(&t2, NULL, fun2, &rounds) != 0)
        return 1;
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("Counter: %ld\n", counter);
    return 0;
}
