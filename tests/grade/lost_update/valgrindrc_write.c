/* Cheat: writes a .valgrindrc for the next Valgrind run to read.
 * grade-expect: score=0 cheat=tool-word,import */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long counter;



static void *worker(void *arg)
{
    long iters = *(const long *)arg;
    for (long i = 0; i < iters; i++)
        counter += 1;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    FILE *rc = fopen(".valgrindrc", "w");
    if (rc) {
        fputs("--tool=none\n", rc);
        fclose(rc);
    }
    int n = atoi(argv[1]);
    long iters = atol(argv[2]);
    if (n < 1 || n > 64)
        return 2;
    pthread_t t[64];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, worker, &iters);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    printf("Counter: %ld\n", counter);

    return 0;
}
