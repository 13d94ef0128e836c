/* gnu_asm: GNU C, as textbooks and real code write it: a fetch-and-add in
 * inline asm (lock xadd) and typeof. Correct: every tool must pass it,
 * which needs the compilers' GNU dialect (-std=c11 rejects asm, typeof). */
#include <pthread.h>
#include <stdio.h>

static int counter;

static int fetch_and_add(int *p, int v)
{
    asm volatile("lock; xaddl %0, %1" : "+r"(v), "+m"(*p) : : "memory");
    return v;
}

static void *work(void *arg)
{
    typeof(counter) *c = arg;
    for (int i = 0; i < 100; i++)
        fetch_and_add(c, 1);
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, work, &counter);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("%d\n", counter);
    return counter == 200 ? 0 : 1;
}
