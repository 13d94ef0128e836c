/* double_checked: lazy initialisation with an unlocked first check of a
 * plain pointer: two threads can both see NULL and both initialise.
 *
 * check-expect: 1 explore: 1 finding.*exit-status.*initialised 2 times
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int *table;
static int inits;

static int *get_table(void)
{
    if (!table) { /* the bug: checked without the lock */
        int *t = calloc(8, sizeof *t);
        inits++;
        pthread_mutex_lock(&m);
        table = t;
        pthread_mutex_unlock(&m);
    }
    return table;
}

static void *user(void *arg)
{
    (void)arg;
    return get_table();
}

int main(void)
{
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, user, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    if (inits != 1) {
        fprintf(stderr, "initialised %d times\n", inits);
        return 1;
    }
    return 0;
}
