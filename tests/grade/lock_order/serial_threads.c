/* Cheat: each thread is joined before the next is created, so the two
 * never run at once and their lock orders can never meet; main even
 * joins in the same function it creates. The threads are measured from
 * outside: one at a time, where the case's fix... also runs them one at
 * a time (the handout does), so this is not a cheat for lock_order: the
 * opposite orders are still there and the tools see them.
 * grade-expect: score=10 failed=tsan,helgrind,explore */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    for (long i = 0; i < rounds; i++) {
        pthread_mutex_lock(&lock_b);
        pthread_mutex_lock(&lock_a);
        counter += 1;
        pthread_mutex_unlock(&lock_a);
        pthread_mutex_unlock(&lock_b);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    long rounds = atol(argv[1]);
    if (rounds < 1)
        return 2;
    pthread_t t;
    pthread_create(&t, NULL, fun1, &rounds);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, fun2, &rounds);
    pthread_join(t, NULL);
    printf("Counter: %ld\n", counter);
    return 0;
}
