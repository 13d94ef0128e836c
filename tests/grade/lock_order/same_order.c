/* A correct fix: both threads take lock_a, then lock_b (one global order),
 * and run at the same time.
 * grade-expect: score=100 */
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
        pthread_mutex_lock(&lock_a); /* the same order as fun1 */
        pthread_mutex_lock(&lock_b);
        counter += 1;
        pthread_mutex_unlock(&lock_b);
        pthread_mutex_unlock(&lock_a);
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
