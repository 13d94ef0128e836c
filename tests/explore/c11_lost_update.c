/* c11_lost_update: C11 threads and a counter without its mtx: updates
 * are lost under some schedule.
 *
 * check-expect: 1 explore: 1 finding.*exit-status
 */
#include <stdio.h>
#include <threads.h>

static int counter;

static int worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 200; i++)
        counter++;
    return 0;
}

int main(void)
{
    thrd_t t[2];
    for (int i = 0; i < 2; i++)
        thrd_create(&t[i], worker, NULL);
    for (int i = 0; i < 2; i++)
        thrd_join(t[i], NULL);
    printf("counter %d\n", counter);
    return counter == 400 ? 0 : 1;
}
