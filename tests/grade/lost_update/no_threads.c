/* Cheat: the threads removed. One loop in main gives the right answer and
 * no tool finds a race, because there is no concurrency left.
 * grade-expect: score=0 cheat=no-threads
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int n = atoi(argv[1]);
    long iters = atol(argv[2]);
    long counter = 0;
    for (int t = 0; t < n; t++)
        for (long i = 0; i < iters; i++)
            counter += 1;
    printf("Counter: %ld\n", counter);
    return 0;
}
