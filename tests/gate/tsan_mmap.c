/* tsan_mmap: says on stderr what TSan from LLVM < 18 says before it opens
 * its log when the kernel's vm.mmap_rnd_bits is too high, and exits as it
 * does. The gate must say what it is and how to fix it (exit 3). */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    fputs("FATAL: ThreadSanitizer: unexpected memory mapping 0x7f2a5c400000-0x7f2a5c800000\n", stderr);
    fflush(stderr);
    _exit(66);
}
