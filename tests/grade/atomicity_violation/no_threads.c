/* A cheat: no threads at all. main puts every item and takes it straight
 * back out, one at a time, so the buffer never fills and never runs dry:
 * the right output, and nothing concurrent left to get right.
 * grade-expect: score=0 cheat=no-threads
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s PRODUCERS CONSUMERS ITEMS\n", argv[0]);
        return 2;
    }
    int nprod = atoi(argv[1]);
    int ncons = atoi(argv[2]);
    long items = atol(argv[3]);
    if (nprod < 1 || nprod > 32 || ncons < 1 || ncons > 32 || items < 0 || items > 10000000) {
        fprintf(stderr, "atomicity_violation: PRODUCERS and CONSUMERS must be 1..32, ITEMS 0..10000000\n");
        return 2;
    }
    long buffer[4];
    long produced = 0, consumed = 0;
    long long sum = 0;
    for (int p = 0; p < nprod; p++) {
        for (long i = 0; i < items; i++) {
            buffer[0] = p * items + i + 1; /* put */
            produced++;
            sum += buffer[0]; /* get */
            consumed++;
        }
    }
    printf("produced: %ld\n", produced);
    printf("consumed: %ld\n", consumed);
    printf("overflows: 0\n");
    printf("underflows: 0\n");
    printf("sum: %lld\n", sum);
    return 0;
}
