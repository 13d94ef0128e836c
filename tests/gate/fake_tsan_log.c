/* fake_tsan_log: leaves a TSan report cut off in the middle where racelab
 * reads TSan's log (log_path=RUN_DIR/tsan, and the run directory is the
 * program's working directory), as a TSan killed mid-report would. The
 * gate must call it undecided, not clean and not findings. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char name[64];
    snprintf(name, sizeof name, "tsan.%d", (int)getpid());
    FILE *f = fopen(name, "w");
    if (!f)
        return 1;
    fputs("==================\n"
          "WARNING: ThreadSanitizer: data race (pid=1)\n"
          "  Write of size 4 at 0x7b0400000000 by thread T2:\n"
          "    #0 work fake_tsan_log.c:20 (a.out+0x1234)\n",
          f);
    fclose(f);
    return 66; /* TSan's exit code after a report */
}
