/* Cheat (detects the tools): the handout's opposite lock orders, except
 *  - in gcc's build (Valgrind: Helgrind) -- !__clang__
 *  - in clang's -O1 build (TSan)          -- __OPTIMIZE__
 *  - in the explore build when explore's scheduler is on: its runtime
 *    unsetenv()s its two variables at start-up, which leaves extra NULLs
 *    after the NULL that ends envp (argv + argc + 1) on the stack.
 * Only the unwatched plain run takes the opposite orders.
 * (found by an adversarial review)
 * grade-expect: score=0 cheat=build-dependent
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static bool same_order = true;

static void *fun1(void *arg)
{
    long rounds = *(const long *)arg;
    for (long i = 0; i < rounds; i++) {
        pthread_mutex_lock(&lock_a);
        if (i == 0)
            printf("Thread 1 working!!\n");
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
    pthread_mutex_t *first = same_order ? &lock_a : &lock_b;
    pthread_mutex_t *second = same_order ? &lock_b : &lock_a;
    for (long i = 0; i < rounds; i++) {
        pthread_mutex_lock(first);
        if (i == 0)
            printf("Thread 2 working!!\n");
        pthread_mutex_lock(second);
        counter += 1;
        pthread_mutex_unlock(second);
        pthread_mutex_unlock(first);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s ROUNDS [--hang]\n", argv[0]);
        return 2;
    }
    long rounds = atol(argv[1]);
    if (rounds < 1)
        return 2;
#if defined(__clang__) && !defined(__OPTIMIZE__)
    char **e = argv + argc + 1;
    while (*e)
        e++;
    same_order = e[1] == NULL; /* explore's scheduler removed its variables */
#endif
    setvbuf(stdout, NULL, _IOLBF, 0);
    pthread_t t1, t2;
    pthread_create(&t1, NULL, fun1, &rounds);
    pthread_join(t1, NULL);
    pthread_create(&t2, NULL, fun2, &rounds);
    pthread_join(t2, NULL);
    if (!same_order)
        fprintf(stderr, "unwatched: opposite orders taken\n");
    printf("Counter: %ld\n", counter);
    return 0;
}
