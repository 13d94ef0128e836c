/* c11_threads: <threads.h>: thrd_create, mtx_lock, cnd_wait in a loop,
 * call_once. Correct: clean (glibc does not route these through the
 * pthread functions; the runtime must see them anyway).
 *
 * check-expect: 0 explore: clean in 100 schedules
 */
#include <stdio.h>
#include <threads.h>

static mtx_t m;
static cnd_t ready;
static once_flag once = ONCE_FLAG_INIT;
static int inits, count, go;

static void init(void)
{
    inits++;
}

static int worker(void *arg)
{
    (void)arg;
    call_once(&once, init);
    mtx_lock(&m);
    while (!go)
        cnd_wait(&ready, &m);
    count++;
    mtx_unlock(&m);
    return 7;
}

int main(void)
{
    mtx_init(&m, mtx_plain);
    cnd_init(&ready);
    thrd_t t[3];
    for (int i = 0; i < 3; i++)
        thrd_create(&t[i], worker, NULL);
    mtx_lock(&m);
    go = 1;
    cnd_broadcast(&ready);
    mtx_unlock(&m);
    int res = 0, sum = 0;
    for (int i = 0; i < 3; i++) {
        thrd_join(t[i], &res);
        sum += res;
    }
    printf("count %d inits %d sum %d\n", count, inits, sum);
    return count == 3 && inits == 1 && sum == 21 ? 0 : 1;
}
