/* Takes 384 MiB, 16 MiB at a time, and touches every page of it: past a
 * run's memory limit the kernel kills it. Reads it all back and frees it
 * (so that no compiler leaves the memory out), and exits 0. */
#include <stdlib.h>
#include <string.h>

#define CHUNK (16u << 20)
static char *chunks[24];

int main(void)
{
    for (int i = 0; i < 24; i++) {
        chunks[i] = malloc(CHUNK);
        if (!chunks[i])
            return 1;
        memset(chunks[i], i + 1, CHUNK);
    }
    unsigned long sum = 0;
    for (int i = 0; i < 24; i++) {
        for (size_t k = 0; k < CHUNK; k += 4096)
            sum += (unsigned char)chunks[i][k];
        free(chunks[i]);
    }
    return sum == 300ul * (CHUNK / 4096) ? 0 : 1;
}
