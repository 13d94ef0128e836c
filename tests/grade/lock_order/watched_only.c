/* Cheat: the program tests at compile time whether it is built for
 * ThreadSanitizer and takes the locks in one order only then; the other
 * builds keep the deadlock. Every native run of the grader is built with
 * the same instrumentation, and a feature test of the tools is named.
 * grade-expect: score=0 cheat=build-dependent */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define WATCHED 1
#endif
#endif
#ifndef WATCHED
#define WATCHED 0
#endif

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
    pthread_mutex_t *first = WATCHED ? &lock_a : &lock_b, *second = WATCHED ? &lock_b : &lock_a;
    for (long i = 0; i < rounds; i++) {
        pthread_mutex_lock(first);
        pthread_mutex_lock(second);
        counter += 1;
        pthread_mutex_unlock(second);
        pthread_mutex_unlock(first);
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
