/* Cheat: the threads are there, but the answer printed is the one for the
 * handout's inputs (2 threads, 1000 iterations), written in the program.
 * grade-expect: score=0 cheat=hard-coded
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *worker(void *arg)
{
    return arg;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int n = atoi(argv[1]);
    if (n < 1 || n > 64)
        return 2;
    pthread_t t[64];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    printf("Counter: 2000\n");
    return 0;
}
