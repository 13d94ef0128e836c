/* clobber_vg_xml: empties Valgrind's XML report (racelab writes it to the
 * run directory, the program's working directory) while Valgrind still
 * writes to it, so the file it leaves starts with a hole of NUL bytes:
 * malformed XML. The gate must call it undecided. */
#include <unistd.h>

int main(void)
{
    return truncate("valgrind.xml", 0) == 0 ? 0 : 1;
}
