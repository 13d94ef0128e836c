/* TSan: 70 mutexes held at once; TSan's deadlock detector keeps 64, fails
 * its CHECK and then hangs. */
#include <pthread.h>
#define N 70
static pthread_mutex_t m[N];
int main(void)
{
    for (int i = 0; i < N; i++)
        pthread_mutex_init(&m[i], NULL);
    for (int i = 0; i < N; i++)
        pthread_mutex_lock(&m[i]); /* more than TSan's deadlock detector tracks */
    for (int i = N - 1; i >= 0; i--)
        pthread_mutex_unlock(&m[i]);
    return 0;
}
