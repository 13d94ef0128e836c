/* A wrong fix: workers now drain the queue before they leave, so every
 * task submitted before the shutdown runs; but submit still accepts a task
 * after the shutdown, and that one is never run and never freed.
 * grade-expect: failed=memcheck,explore passed=compile
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_WORKERS 32

struct task {
    struct task *next;
    long arg;
};

struct pool {
    pthread_mutex_t lock;   /* guards everything below */
    pthread_cond_t work;    /* signalled on a new task, broadcast at shutdown */
    struct task *head, *tail;
    bool shutting_down;
    long tasks_run;
    long long total;
    int nworkers;
    pthread_t workers[MAX_WORKERS];
};

/* What a task does: here, add its argument to the pool's total. */
static void run_task(struct pool *p, const struct task *t)
{
    pthread_mutex_lock(&p->lock);
    p->total += t->arg;
    p->tasks_run++;
    pthread_mutex_unlock(&p->lock);
}

static void *worker(void *arg)
{
    struct pool *p = arg;

    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->head && !p->shutting_down)
            pthread_cond_wait(&p->work, &p->lock);
        if (!p->head)
            break; /* shutting down, and the queue is drained */
        struct task *t = p->head;
        p->head = t->next;
        if (!p->head)
            p->tail = NULL;
        pthread_mutex_unlock(&p->lock);
        run_task(p, t);
        free(t);
        pthread_mutex_lock(&p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static struct pool *pool_create(int nworkers)
{
    struct pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    for (int i = 0; i < nworkers; i++) {
        if (pthread_create(&p->workers[i], NULL, worker, p) != 0) {
            fputs("pthread_create failed\n", stderr); /* it returns the error; errno is unset */
            exit(1);
        }
        p->nworkers++;
    }
    return p;
}

/* True if the task was accepted. */
static bool pool_submit(struct pool *p, long arg)
{
    struct task *t = malloc(sizeof *t);
    if (!t)
        return false;
    t->next = NULL;
    t->arg = arg;
    pthread_mutex_lock(&p->lock);
    if (p->tail)
        p->tail->next = t;
    else
        p->head = t;
    p->tail = t;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->lock);
    return true;
}

/* Stops the workers and waits for them: shutdown(wait=True). */
static void pool_shutdown(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->shutting_down = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nworkers; i++)
        pthread_join(p->workers[i], NULL);
}

static void pool_destroy(struct pool *p)
{
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s WORKERS TASKS\n", argv[0]);
        return 2;
    }
    int nworkers = atoi(argv[1]);
    long ntasks = atol(argv[2]);
    if (nworkers < 1 || nworkers > MAX_WORKERS || ntasks < 0 || ntasks > 10000000) {
        fprintf(stderr, "pool_shutdown: WORKERS must be 1..%d, TASKS 0..10000000\n", MAX_WORKERS);
        return 2;
    }

    struct pool *pool = pool_create(nworkers);
    if (!pool) {
        fputs("out of memory\n", stderr);
        return 1;
    }
    for (long k = 1; k <= ntasks; k++)
        if (!pool_submit(pool, k))
            fprintf(stderr, "task %ld refused\n", k);
    pool_shutdown(pool); /* every task has run once this returns */
    printf("tasks run: %ld\n", pool->tasks_run);
    printf("total: %lld\n", pool->total);

    bool accepted = pool_submit(pool, ntasks + 1); /* a mistake: the pool is shut down */
    printf("late task: %s\n", accepted ? "accepted" : "refused");
    pool_destroy(pool);
    return 0;
}
