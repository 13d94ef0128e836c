/* big_output: writes 64 MiB into its working directory (the run's
 * directory), then exits 2. The run is undecided and keeps its logs for a
 * human, but not the program's file. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    FILE *f = fopen("junk.bin", "w");
    for (int i = 0; f && i < 64; i++)
        fwrite(block, 1, sizeof block, f);
    if (f)
        fclose(f);
    return 2;
}
