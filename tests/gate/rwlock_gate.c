/* rwlock_gate: two threads take a and b in opposite orders, each while
 * holding the rwlock g -- for READING (no argument) or for WRITING
 * (argument "w"). Read-held, g gates nothing: readers do not exclude each
 * other, so both threads can be inside the a/b cycle at once and
 * deadlock; the gate must count TSan's lock-order report (exit 1), and
 * explore's lock graph reports the cycle itself. Write-held, g keeps the
 * threads out of the cycle at once: the report is a known tool
 * limitation, on explore's evidence (exit 0 with explore; exit 1 without
 * it, since nothing else shows the gate).
 * The threads run one after the other, so no run deadlocks for real. */
#include <pthread.h>
#include <string.h>

static pthread_rwlock_t g = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int write_gate, shared;

static void gate(void)
{
    if (write_gate)
        pthread_rwlock_wrlock(&g);
    else
        pthread_rwlock_rdlock(&g);
}

static void *a_then_b(void *arg)
{
    gate();
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b); /* @ab */
    shared++;
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    pthread_rwlock_unlock(&g);
    return arg;
}

static void *b_then_a(void *arg)
{
    gate();
    pthread_mutex_lock(&b);
    pthread_mutex_lock(&a); /* @ba */
    shared++;
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    pthread_rwlock_unlock(&g);
    return arg;
}

int main(int argc, char **argv)
{
    write_gate = argc > 1 && !strcmp(argv[1], "w");
    pthread_t t;
    pthread_create(&t, NULL, a_then_b, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, b_then_a, NULL);
    pthread_join(t, NULL);
    return shared == 2 ? 0 : 1;
}
