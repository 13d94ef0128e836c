/* bounded_lost: two threads add 2 each to a counter with a plain
 * read-modify-write; main asserts the total. One preemption between a
 * read and its write loses an update. explore's bounded search must find
 * it with 1 preemption (the fewest), and its schedule must replay it;
 * with --bound 0 the search finds nothing and says what it proved. */
#include <assert.h>
#include <pthread.h>

static int counter;

static void *add(void *arg)
{
    for (int i = 0; i < 2; i++)
        counter++; /* @rmw */
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, add, NULL);
    pthread_create(&b, NULL, add, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    assert(counter == 4);
    return 0;
}
