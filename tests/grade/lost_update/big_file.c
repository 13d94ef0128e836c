/* Hostile: writes a 1 GB file into its directory before doing the work.
 * The file size limit (RLIMIT_FSIZE) stops it at 64 MiB: SIGXFSZ.
 * grade-expect: score=0 cheat=import
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    FILE *f = fopen("big.bin", "w");
    for (int i = 0; f && i < 1024; i++)
        fwrite(block, 1, sizeof block, f);
    if (f)
        fclose(f);
    printf("Counter: 0\n");
    return 0;
}
