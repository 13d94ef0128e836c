/* TSan: read unlock of a write-locked mutex, through TSan's own mutex
 * annotations (pthread_rwlock_unlock never reaches that check). */
#include <pthread.h>
#include <sanitizer/tsan_interface.h>
/* A home-made lock annotated for TSan, released as a reader while held
 * as a writer. */
static int word;
int main(void)
{
    __tsan_mutex_create(&word, 0);
    __tsan_mutex_pre_lock(&word, 0);
    word = 1;
    __tsan_mutex_post_lock(&word, 0, 0);
    __tsan_mutex_pre_unlock(&word, __tsan_mutex_read_lock); /* @bug */
    word = 0;
    __tsan_mutex_post_unlock(&word, __tsan_mutex_read_lock);
    return 0;
}
