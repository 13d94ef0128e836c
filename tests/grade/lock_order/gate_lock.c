/* A correct fix in a fourth style: the orders stay opposite, but every
 * pair is taken under one more lock, a gate, so no two threads are ever
 * between their first and second lock at once: the cycle cannot close.
 * TSan and Helgrind report the cycle anyway (they do not know gate
 * locks); explore's lock graph does, and finds none that can deadlock.
 * grade-expect: score=100 policy=yes */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER; /* held around every pair */
static long counter;

static void *fun1(void *arg)
{
    long rounds = *(const long *)arg;
    for (long i = 0; i < rounds; i++) {
        pthread_mutex_lock(&gate);
        pthread_mutex_lock(&lock_a);
        pthread_mutex_lock(&lock_b);
        counter += 1;
        pthread_mutex_unlock(&lock_b);
        pthread_mutex_unlock(&lock_a);
        pthread_mutex_unlock(&gate);
    }
    return NULL;
}

static void *fun2(void *arg)
{
    long rounds = *(const long *)arg;
    for (long i = 0; i < rounds; i++) {
        pthread_mutex_lock(&gate);
        pthread_mutex_lock(&lock_b); /* the other order, but under the gate */
        pthread_mutex_lock(&lock_a);
        counter += 1;
        pthread_mutex_unlock(&lock_a);
        pthread_mutex_unlock(&lock_b);
        pthread_mutex_unlock(&gate);
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
