/* once_init: lazy initialisation through pthread_once, read by two
 * threads. Correct (pthread_once orders the initialiser before every
 * caller's return); Helgrind reports races here anyway: a known tool
 * limitation, shown, not failing the gate. */
#include <pthread.h>
#include <stdlib.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int *table;

static void init_table(void)
{
    table = calloc(16, sizeof *table);
    table[3] = 42;
}

static void *reader(void *arg)
{
    (void)arg;
    pthread_once(&once, init_table);
    return (void *)(long)table[3];
}

int main(void)
{
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, reader, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    free(table);
    return 0;
}
