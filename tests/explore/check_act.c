/* check_act: an atomicity violation: the check (is there enough money?)
 * and the act (take it) each hold the lock, but not together, so two
 * withdrawals can both pass the check. Race-free: only a schedule shows it.
 *
 * check-expect: 1 explore: 1 finding.*exit-status.*status 3.*overdrawn
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int balance = 100;

static int can_take(int amount)
{
    pthread_mutex_lock(&m);
    int ok = balance >= amount;
    pthread_mutex_unlock(&m);
    return ok;
}

static void take(int amount)
{
    pthread_mutex_lock(&m);
    balance -= amount;
    pthread_mutex_unlock(&m);
}

static void *withdraw(void *arg)
{
    (void)arg;
    if (can_take(80)) /* check */
        take(80);     /* act, in another critical section */
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, withdraw, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    if (balance < 0) {
        fprintf(stderr, "overdrawn: balance %d\n", balance);
        return 3;
    }
    printf("balance %d\n", balance);
    return 0;
}
