/* A wrong fix: the orders are still opposite; the author only made each
 * thread sleep between its two locks, hoping the other is done by then.
 * The cycle is still there, and under some schedule both wait forever.
 * grade-expect: score=10 passed=compile failed=tsan,helgrind,explore */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void nap(void)
{
    struct timespec ts = {0, 1000};
    nanosleep(&ts, NULL);
}

static void *fun1(void *arg)
{
    long rounds = *(const long *)arg;
    for (long i = 0; i < rounds; i++) {
        pthread_mutex_lock(&lock_a);
        nap();
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
    for (long i = 0; i < rounds; i++) {
        pthread_mutex_lock(&lock_b);
        nap();
        pthread_mutex_lock(&lock_a);
        counter += 1;
        pthread_mutex_unlock(&lock_a);
        pthread_mutex_unlock(&lock_b);
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
