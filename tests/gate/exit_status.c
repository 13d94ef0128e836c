/* exit_status: exits with the status given as its first argument, after a
 * race when the second argument is "race". The program's status and the
 * tools' findings are two facts: a program that fails with nothing found
 * is undecided; after a race, the race decides (exit 1) and the status is
 * named. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static int counter;

static void *work(void *arg)
{
    (void)arg;
    counter++; /* @race: when asked to race */
    return NULL;
}

int main(int argc, char **argv)
{
    int status = argc > 1 ? atoi(argv[1]) : 0;
    if (argc > 2 && !strcmp(argv[2], "race")) {
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
            pthread_create(&t[i], NULL, work, NULL);
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
    }
    return status;
}
