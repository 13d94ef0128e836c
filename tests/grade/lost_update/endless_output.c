/* Hostile: writes forever. The runner stops it at its output limit.
 * grade-expect: score=10 passed=compile failed=tsan,helgrind,drd,explore
 */
#include <stdio.h>

int main(void)
{
    for (;;)
        puts("Counter: Counter: Counter: Counter: Counter: Counter: Counter: Counter:");
}
