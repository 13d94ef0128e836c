#include <stdio.h>
int main(void)
{
    volatile int *volatile p = 0;
    return *p;
}
