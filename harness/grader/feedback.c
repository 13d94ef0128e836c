/* What a grade says to a student: what each category of finding means and
 * a hint for the case's class, in the words of the course notes (critical
 * section, read-add-write, lock, join, zombie, daemon). */
#include "feedback.h"

#include <string.h>

#include "alloc.h"

static const char race_explain[] =
    "a race condition: two threads touch the same shared variable, at least one of them writes, and nothing "
    "orders the two accesses (no lock that both hold, no join between them). Threads share globals and the "
    "heap; only their stacks are their own.";
static const char leak_thread_explain[] =
    "a thread nobody joined. Like a zombie process, a finished thread keeps its stack and its control block "
    "(TCB) until pthread_join harvests it; a thread still running when main returns is killed mid-work by "
    "exit().";
static const char leak_memory_explain[] =
    "memory misused: allocated and never freed, or used after it was freed or outside its block.";
static const char order_explain[] =
    "a potential deadlock: one thread holds lock A and waits for B while another holds B and waits for A; "
    "both then wait forever.";
static const char mutex_explain[] =
    "a lock used wrongly: unlocked by a thread that does not hold it, unlocked twice, or destroyed while "
    "held.";
static const char cond_explain[] =
    "a condition variable used wrongly: waited on or signalled without holding its lock, or with two "
    "different locks.";
static const char other_explain[] = "the tool found a threading error (its own words are above).";

static const char signal_explain[] =
    "a signal handler did unsafe work: it can run between any two instructions of the program, even in "
    "the middle of malloc or printf, so it may only call async-signal-safe functions and must keep errno.";
static const char deadlock_explain[] =
    "a deadlock: every thread waits for something only another waiting thread could give (a lock, a "
    "signal, a join), so none of them ever moves again.";
static const char sync_explain[] =
    "a synchronisation object (semaphore, barrier, thread handle) used wrongly: the call failed or did "
    "not mean what the program assumes.";
static const char answer_explain[] =
    "the program printed a wrong result, or did not finish properly, under some schedule of its threads.";

const char *feedback_explain(Category c)
{
    switch (c) {
    case CAT_RACE: return race_explain;
    case CAT_THREAD_LEAK: return leak_thread_explain;
    case CAT_MEMORY: return leak_memory_explain;
    case CAT_LOCK_ORDER: return order_explain;
    case CAT_DEADLOCK: return deadlock_explain;
    case CAT_CONDVAR: return cond_explain;
    case CAT_MUTEX: return mutex_explain;
    case CAT_SYNC_API: return sync_explain;
    case CAT_SIGNAL: return signal_explain;
    case CAT_ANSWER: return answer_explain;
    default: return other_explain;
    }
}

static const struct {
    const char *klass, *race, *answer;
} class_hints[] = {
    {"lost-update",
     "`counter += 1` is three steps: READ the value, ADD 1, WRITE it back; another thread can run between "
     "them, and an update is lost. Make it a critical section: one pthread_mutex_t shared by every thread (a "
     "lock per thread protects nothing), held around every access, in every thread. Or make the "
     "read-modify-write atomic (atomic_fetch_add), or give each thread its own local sum and add them up "
     "after pthread_join. `volatile` and sleep() order nothing.",
     "a total short of the right one means increments were lost: the read-add-write steps of two threads "
     "interleaved."},
    {"unjoined-threads",
     "main reads a worker's result without waiting for the worker: a nap is a guess, not a wait. Call "
     "pthread_join on each worker before reading what it wrote: join waits, orders the worker's writes "
     "before main's reads, and harvests the finished thread.",
     "a short sum means main added up before every worker had finished: join them first."},
    {"detached-daemon",
     "main reads what the daemon thread is still writing, and nothing can wait for a detached thread. Make "
     "the thread joinable, tell it to stop (a flag under a lock), and pthread_join it before reading its "
     "results.",
     "a short count means main read it while the background thread was still working: wait for it with "
     "pthread_join."},
    {"check-then-act",
     "the check (is there room? is there an item?) reads the shared buffer without its lock. A lock "
     "protects a variable only if every access takes it. Taking it around the check alone is not enough: "
     "check and act must be ONE critical section, so that nothing changes between them. Wait for room or "
     "for an item with pthread_cond_wait in a `while` loop, under the lock (or use two counting "
     "semaphores, free slots and filled slots, as in the course notes).",
     "dropped items, overflows or underflows mean another thread acted between a check and its act: "
     "what the check saw was no longer true. Make check and act one critical section."},
    {"lock-order", "the shared data is touched without the lock that guards it.",
     "a run that hangs (or never prints the total) is the deadlock: each thread holds one lock and waits "
     "for the other's. Take the locks in the same order in every thread."},
    {"cv-if-not-while", "the buffer is touched without its lock.",
     "a consumer woken from pthread_cond_wait must look again: another consumer may have taken the item "
     "first (and a wakeup can be spurious). Wait in a `while` loop that re-checks the condition under the "
     "lock, never in an `if`."},
    {"lost-wakeup", "the flag is read or written without the mutex.",
     "a condition variable has no memory: a signal sent before the other thread waits is lost, and the "
     "waiter sleeps forever. Keep a flag (an Event) under the mutex: set it, then signal; wait in a `while` "
     "loop on the flag."},
    {"semaphore-misuse", "the buffer is touched without its mutex.",
     "a thread that blocks on a semaphore while it holds the mutex keeps out the thread that would post it: "
     "both wait forever. Wait on the semaphore first, then take the mutex (the course notes' order)."},
    {"barrier-reuse",
     "a thread reads another thread's result of the phase before, with nothing between the phases to say "
     "that result is written. Every thread must wait at a barrier (pthread_barrier_wait) after writing "
     "and before reading the others' work.",
     "a phase read results the other threads had not written yet: put a barrier between the phases."},
    {"self-deadlock", "the shared data is touched without its lock.",
     "a thread that locks a non-recursive mutex it already holds waits for itself forever. Call an "
     "unlocked helper from inside the critical section, or make the mutex recursive (an RLock)."},
    {"atomicity-violation", "the shared data is touched without its lock.",
     "each step is locked, but the check and the act on it are two critical sections: between them "
     "another thread changes what the check saw. Make check and act ONE critical section."},
    {"order-violation",
     "a thread reads data main sets up only after creating it: nothing makes the set-up come first. "
     "Set it up before pthread_create (which orders everything before it), or wait for it on a "
     "condition.",
     "a thread used the data before main had set it up: pthread_create returns at once, the thread may "
     "run first."},
    {"double-checked-init",
     "the first check reads the shared pointer without the lock while another thread writes it: it may "
     "see a pointer to a table not yet filled. Check under the lock, or use pthread_once (or a "
     "release store and an acquire load).",
     "a thread used the table before it was filled: it saw the pointer early, through the unlocked check."},
    {"pool-shutdown", "the queue is touched without its lock.",
     "tasks still queued when the pool shut down were lost: shutdown must let the workers drain the "
     "queue before joining them, and refuse tasks submitted after it."},
    {"use-after-free",
     "main frees memory a thread still uses: free is a write, and nothing orders it after the thread's "
     "reads. Join the thread (or let the last user free it, with a reference count) before free.",
     "a thread read memory after main freed it: free only after the join."},
};

static const char generic_race_hint[] =
    "make every access to the shared variable, in every thread, part of a critical section of the same "
    "lock; or order the accesses with pthread_join; or use C11 atomics for a single variable.";

const char *feedback_hint(const char *klass, Category c)
{
    switch (c) {
    case CAT_RACE:
        for (size_t i = 0; i < ARRAY_LEN(class_hints); i++)
            if (!strcmp(klass, class_hints[i].klass))
                return class_hints[i].race;
        return generic_race_hint;
    case CAT_THREAD_LEAK:
        return "keep each pthread_t and call pthread_join on every thread you create before main returns. "
               "A detached thread cannot be joined: nothing can wait for it.";
    case CAT_MEMORY: return "free what you malloc, once no thread uses it any more (after the join), and only then.";
    case CAT_LOCK_ORDER:
    case CAT_DEADLOCK:
        return "take the locks in one fixed order everywhere (always A before B), or hold one lock at a time; "
               "wait on a condition only for something another thread will surely signal, in a `while` loop.";
    case CAT_CONDVAR:
        return "call pthread_cond_wait with its mutex held, in a `while` loop that re-checks the condition "
               "(wait() releases the lock while it sleeps), and change the condition under the same lock.";
    case CAT_MUTEX:
        return "every pthread_mutex_lock has exactly one pthread_mutex_unlock, in the same thread, on every "
               "path out of the critical section.";
    case CAT_ANSWER: return feedback_wrong_answer_hint(klass);
    case CAT_SIGNAL:
        return "in a signal handler, only set a `volatile sig_atomic_t` flag (or call write()), and save and "
               "restore errno; do the real work in the program.";
    default: return "read the tool's message and the lines it names.";
    }
}

const char *feedback_wrong_answer_hint(const char *klass)
{
    for (size_t i = 0; i < ARRAY_LEN(class_hints); i++)
        if (!strcmp(klass, class_hints[i].klass))
            return class_hints[i].answer;
    return "an answer that depends on how the threads were scheduled is the mark of a race condition.";
}
