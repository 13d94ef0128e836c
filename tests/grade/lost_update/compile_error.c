/* Hostile, or just unfinished: does not compile. Nothing else is run.
 * grade-expect: score=0 failed=compile
 */
#include <stdio.h>

int main(void)
{
    printf("Counter: %d\n", counter)
}
