/* once_init: lazy initialisation with pthread_once: every thread sees
 * one table, made once. Clean.
 *
 * check-expect: 0 explore: clean in 100 schedules
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int *table;
static int inits;

static void make(void)
{
    inits++;
    table = calloc(8, sizeof *table);
}

static void *user(void *arg)
{
    (void)arg;
    pthread_once(&once, make);
    return table;
}

int main(void)
{
    pthread_t t[3];
    void *seen[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, user, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], &seen[i]);
    printf("inits %d\n", inits);
    int ok = inits == 1 && seen[0] == table && seen[1] == table && seen[2] == table;
    free(table);
    return ok ? 0 : 1;
}
