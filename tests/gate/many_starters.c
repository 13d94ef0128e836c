/* many_starters: 100 workers are all runnable when main blocks in join (a
 * free switch); the last one run first aborts, any other ends the process
 * cleanly. explore's bounded search must try every one of them: found
 * with 0 preemptions (its choice point once lost threads past a 1 KiB
 * line, and the search called the program verified). */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#define N 100
static void *w(void *a) {
    if ((long)a == N - 1) abort();
    _exit(0);
}
int main(void) {
    pthread_t t[N];
    for (long i = 0; i < N; i++) pthread_create(&t[i], NULL, w, (void *)i);
    pthread_join(t[N - 1], NULL);
    return 0;
}
