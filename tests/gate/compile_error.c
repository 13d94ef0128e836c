/* compile_error: does not compile. The gate must say so (exit 3), never
 * pass and never report it as findings. */
#include <pthread.h>

int main(void)
{
    pthread_t t
    return 0;
}
