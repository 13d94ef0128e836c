#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    (void)argv;
    close(2);
    if (argc > 1) {
        int *p = 0;
        return *p;
    }
    return 0;
}
