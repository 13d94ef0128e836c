/* TSan: one lock-order cycle through 30 mutexes, longer than TSan prints:
 * "WARNING: too long mutex cycle found". */
#include <pthread.h>
#define N 30
static pthread_mutex_t m[N];
int main(void)
{
    for (int i = 0; i < N; i++)
        pthread_mutex_init(&m[i], NULL);
    /* edges m[i] -> m[i+1], then m[N-1] -> m[0]: one cycle of N locks */
    for (int i = 0; i < N; i++) {
        pthread_mutex_lock(&m[i]);
        pthread_mutex_lock(&m[(i + 1) % N]);
        pthread_mutex_unlock(&m[(i + 1) % N]);
        pthread_mutex_unlock(&m[i]);
    }
    return 0;
}
