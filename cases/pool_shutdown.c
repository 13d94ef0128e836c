/*
 * pool_shutdown: a thread pool whose shutdown drops the tasks still queued,
 * and whose submit accepts tasks after shutdown: work is lost, silently.
 *
 * What it does
 *   A small thread pool, like Python's ThreadPoolExecutor: WORKERS threads
 *   take tasks from a queue (a linked list under a mutex, with a condition
 *   variable to sleep on while it is empty). main submits TASKS tasks, task
 *   k adding k to the pool's total, then shuts the pool down, which must
 *   wait for the tasks, and prints how many ran and their total: TASKS and
 *   TASKS*(TASKS+1)/2. Then main submits one more task, by mistake, after
 *   the shutdown: the pool must refuse it (Python raises RuntimeError,
 *   "cannot schedule new futures after shutdown"), and main says whether
 *   it was refused.
 *   (The course notes: "with ThreadPoolExecutor(max_workers=4) as
 *   executor: ... executor.submit(my_fun, 0)": leaving the `with` block
 *   calls shutdown(wait=True), and "the context manager ensures the
 *   closing of threads" only after every submitted task has run.)
 *
 * Where the bug is
 *   Two places, one lesson: a pool's shutdown is a hand-over, and both
 *   sides of it must be closed.
 *   1. @stop: a worker that sees the shutdown flag leaves at once, even if
 *      tasks are still queued. shutdown sets the flag, wakes the workers and
 *      joins them, and returns with those tasks never run: their results
 *      are missing from the total, and their memory is never freed.
 *   2. @accept: submit does not look at the flag, so a task submitted after
 *      shutdown is queued, looks accepted, and is never run by anyone.
 *   Everything is under the pool's mutex: no data race. Whether bug 1 loses
 *   tasks depends on how far the workers got when main shut down; bug 2
 *   loses the late task every time.
 *
 * What the tools say
 *   TSan, Helgrind and DRD are blind: every access to the queue and the
 *   totals holds the mutex, and every thread is joined. memcheck reports
 *   Leak_DefinitelyLost for the tasks allocated in submit (@alloc) that no
 *   worker ever ran: the late one in every run, and any dropped at the
 *   shutdown. (pool_destroy frees the pool, the only way to the queue.)
 *   explore and native runs show the short count and total when the
 *   workers are still behind at the shutdown.
 *
 * How the fix differs (fixed/pool_shutdown.c)
 *   Workers leave only when the flag is set AND the queue is empty, so
 *   shutdown drains the queue before the joins return; submit refuses a
 *   task once the flag is set, before allocating it, and says so.
 *
 * racelab:
 *   class:    pool-shutdown
 *   params:   workers=2 tasks=10
 *   verify:   workers=2 tasks=2
 *   grade:    workers=1..8 tasks=1..1000
 *   stress:   workers=2 tasks=2000
 *   output:   tasks run: {tasks}
 *   output:   total: {tasks * (tasks + 1) / 2}
 *   output:   late task: refused
 *   creates:  {workers}
 *   tsan:     blind -- every access holds the pool's mutex and every thread is joined: no race, no leak of threads
 *   helgrind: blind -- every access holds the pool's mutex: no race, no misuse
 *   drd:      blind -- every access holds the pool's mutex: no race, no misuse
 *   memcheck: Leak_DefinitelyLost @alloc
 *   explore:  wrong-answer
 *   native:   wrong-answer
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
        if (p->shutting_down)
            break; /* @stop: leaves with tasks still in the queue */
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
    struct task *t = malloc(sizeof *t); /* @alloc */
    if (!t)
        return false;
    t->next = NULL;
    t->arg = arg;
    pthread_mutex_lock(&p->lock);
    if (p->tail) /* @accept: shut down or not, the task is queued */
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
