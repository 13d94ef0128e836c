/* args: exits 0 only when its first argument is "go": checks that
 * `racelab check ... -- ARGS` hands the arguments to the program. */
#include <string.h>

int main(int argc, char **argv)
{
    return argc > 1 && !strcmp(argv[1], "go") ? 0 : 1;
}
