/* Hangs for good, with a child that left its process group and session
 * (setsid): what racelab must still kill when it is stopped. Writes
 * PREFIX.parent and PREFIX.child (its pids) once both are running. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void write_pid(const char *prefix, const char *what, pid_t pid)
{
    char path[4096], tmp[4100];
    snprintf(path, sizeof path, "%s.%s", prefix, what);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    fprintf(f, "%d\n", (int)pid);
    fclose(f);
    rename(tmp, path);
}

static void *waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;)
        pthread_cond_wait(&never, &lock);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    pid_t child = fork();
    if (child == 0) {
        setsid();
        write_pid(argv[1], "child", getpid());
        for (;;)
            pause();
    }
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    write_pid(argv[1], "parent", getpid());
    pthread_join(t, NULL);
    return 0;
}
