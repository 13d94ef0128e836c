/* rwlock_upgrade: a thread holding a read lock asks for the write lock of
 * the same rwlock: it waits for itself (glibc does not catch this one).
 *
 * check-expect: 1 explore: 1 finding.*self-deadlock.*rwlock taken for writing
 */
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int value;

int main(void)
{
    pthread_rwlock_rdlock(&rw);
    if (value == 0) {
        pthread_rwlock_wrlock(&rw); /* upgrade: never granted */
        value = 1;
        pthread_rwlock_unlock(&rw);
    }
    pthread_rwlock_unlock(&rw);
    printf("%d\n", value);
    return 0;
}
