/* racy: two threads add to a shared counter with no lock. `racelab check`
 * must fail on it and point at the line marked @race. Built with -DNEW_BUG
 * it also takes two locks in both orders, in another function: a new
 * finding that a baseline taken without it does not cover. (Not a second
 * race between the same two threads: TSan reports only the first.) */
#include <pthread.h>
#include <stdio.h>

static int counter;

static void *work(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++)
        counter++; /* @race */
    return NULL;
}

#ifdef NEW_BUG
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

static void lock_both_ways(void)
{
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b); /* @ab: b while holding a */
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_lock(&a); /* @ba: a while holding b */
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
}
#endif

int main(void)
{
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
#ifdef NEW_BUG
    lock_both_ways();
#endif
    printf("counter = %d\n", counter);
    return 0;
}
