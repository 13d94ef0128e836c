/* rwlock_ok: readers and a writer share a table under an rwlock, as
 * they should. Must come out clean.
 *
 * check-expect: 0 explore: clean in 100 schedules
 */
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int table[4];

static void *reader(void *arg)
{
    int sum = 0;
    for (int i = 0; i < 3; i++) {
        pthread_rwlock_rdlock(&rw);
        for (int k = 0; k < 4; k++)
            sum += table[k];
        pthread_rwlock_unlock(&rw);
    }
    *(int *)arg = sum;
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        pthread_rwlock_wrlock(&rw);
        for (int k = 0; k < 4; k++)
            table[k]++;
        pthread_rwlock_unlock(&rw);
    }
    return NULL;
}

int main(void)
{
    pthread_t r[2], w;
    int sums[2];
    pthread_create(&r[0], NULL, reader, &sums[0]);
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r[1], NULL, reader, &sums[1]);
    for (int i = 0; i < 2; i++)
        pthread_join(r[i], NULL);
    pthread_join(w, NULL);
    printf("%d %d %d\n", sums[0] % 4, sums[1] % 4, table[0]); /* each read saw a whole round */
    return sums[0] % 4 || sums[1] % 4 || table[0] != 3;
}
