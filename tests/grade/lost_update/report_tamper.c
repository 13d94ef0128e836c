/* Cheat: deletes ThreadSanitizer's log files from its own directory before
 * it exits (TSan writes its reports to tsan.PID there).
 * grade-expect: score=0 cheat=tool-word,import */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long counter;

#include <dirent.h>
#include <string.h>

static void clean(void)
{
    DIR *d = opendir(".");
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (!strncmp(e->d_name, "tsan.", 5))
            unlink(e->d_name);
    if (d)
        closedir(d);
}

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
    clean();
    return 0;
}
