/* many_gated: twelve threads take a then b under the gate lock g, one
 * takes b then a under g -- all gated -- and the last takes a then b
 * WITHOUT g. With that last thread, it and the b-then-a thread can
 * deadlock. The gate must fail (exit 1): explore's lock graph keeps every
 * instance of an edge (one that kept 8 dropped the ungated one, and
 * TSan's report was dismissed as gated). Argument "gated": the last
 * thread takes g too; then every instance is gated, and TSan's report is
 * a known limitation on explore's evidence (exit 0).
 * The threads run one after the other, so no run deadlocks for real. */
#include <pthread.h>
#include <string.h>

#define GATED 12

static pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER, a = PTHREAD_MUTEX_INITIALIZER,
                       b = PTHREAD_MUTEX_INITIALIZER;
static int shared;

static void *a_then_b(void *gated)
{
    if (gated)
        pthread_mutex_lock(&g);
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b); /* @ab */
    shared++;
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    if (gated)
        pthread_mutex_unlock(&g);
    return NULL;
}

static void *b_then_a(void *arg)
{
    pthread_mutex_lock(&g);
    pthread_mutex_lock(&b);
    pthread_mutex_lock(&a); /* @ba */
    shared++;
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&g);
    return arg;
}

static void run(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    pthread_create(&t, NULL, fn, arg);
    pthread_join(t, NULL);
}

int main(int argc, char **argv)
{
    int all_gated = argc > 1 && !strcmp(argv[1], "gated");
    for (int i = 0; i < GATED; i++)
        run(a_then_b, &g);
    run(b_then_a, NULL);
    run(a_then_b, all_gated ? &g : NULL);
    return shared == GATED + 2 ? 0 : 1;
}
