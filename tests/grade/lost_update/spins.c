/* Hostile: a correct-looking fix whose main never returns (a busy loop):
 * the wall-clock limit stops it, and the detectors are not run.
 * grade-expect: score=10 passed=compile failed=explore
 */
#include <pthread.h>
#include <stdio.h>

static volatile int forever = 1;

int main(void)
{
    while (forever)
        ;
    puts("Counter: 0");
    return 0;
}
