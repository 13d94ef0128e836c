/* Hostile: writes forever. The runner stops it at its output limit.
 * grade-expect: passed=compile failed=answer,tsan,helgrind,drd
 */
#include <stdio.h>

int main(void)
{
    for (;;)
        puts("Counter: Counter: Counter: Counter: Counter: Counter: Counter: Counter:");
}
