#include "kinds.h"

#include <string.h>

#include "alloc.h"

static const KindInfo table[] = {
    /* ThreadSanitizer (clang 14) */
    {TOOL_TSAN, "data-race", CAT_RACE, "data race",
     "Two threads access the same memory, at least one writes, and nothing orders the accesses."},
    {TOOL_TSAN, "heap-use-after-free", CAT_MEMORY, "use of freed memory by another thread",
     "A thread used heap memory that another thread had freed: nothing ordered the free after the use."},
    {TOOL_TSAN, "lock-order-inversion", CAT_LOCK_ORDER, "lock order inversion (potential deadlock)",
     "Locks are taken in opposite orders by different threads: a potential deadlock."},
    {TOOL_TSAN, "too-long-mutex-cycle", CAT_LOCK_ORDER, "lock-order cycle too long to print (potential deadlock)",
     "TSan found a lock-order cycle longer than it can print (it names no lock and no line): a potential "
     "deadlock."},
    {TOOL_TSAN, "thread-leak", CAT_THREAD_LEAK, "thread leak (a thread never joined)",
     "A thread ended but was never joined or detached."},
    {TOOL_TSAN, "double-lock-of-a-mutex", CAT_MUTEX, "double lock of a mutex",
     "A thread locked a mutex it already holds: a non-recursive mutex deadlocks on itself."},
    {TOOL_TSAN, "unlock-of-an-unlocked-mutex", CAT_MUTEX, "unlock of an unlocked mutex (or by a wrong thread)",
     "A mutex was unlocked while not locked, or by a thread that does not hold it."},
    {TOOL_TSAN, "read-lock-of-a-write-locked-mutex", CAT_MUTEX, "read lock of a write-locked rwlock",
     "A thread took a read lock on an rwlock it holds for writing: it deadlocks on itself."},
    {TOOL_TSAN, "read-unlock-of-a-write-locked-mutex", CAT_MUTEX, "read unlock of a write-locked rwlock",
     "An rwlock held for writing was released as if it were read-locked."},
    {TOOL_TSAN, "use-of-an-invalid-mutex", CAT_MUTEX, "use of an invalid mutex (uninitialised or destroyed)",
     "A mutex was used that was never initialised or was already destroyed."},
    {TOOL_TSAN, "destroy-of-a-locked-mutex", CAT_MUTEX, "destroy of a locked mutex",
     "A mutex was destroyed while a thread still held it."},
    {TOOL_TSAN, "signal-unsafe-call-inside-of-a-signal", CAT_SIGNAL, "signal-unsafe call inside a signal handler",
     "A signal handler called a function that is not async-signal-safe (malloc, printf ...): it can "
     "deadlock or corrupt state if the signal interrupts the same function."},
    {TOOL_TSAN, "signal-handler-spoils-errno", CAT_SIGNAL, "signal handler spoils errno",
     "A signal handler changed errno without saving and restoring it: the interrupted code reads a wrong "
     "errno."},
    /* Helgrind */
    {TOOL_HELGRIND, "Race", CAT_RACE, "possible data race",
     "Possible data race: conflicting accesses not ordered by any lock or happens-before edge."},
    {TOOL_HELGRIND, "LockOrder", CAT_LOCK_ORDER, "lock order violated (potential deadlock)",
     "Lock order violated: a potential deadlock."},
    {TOOL_HELGRIND, "UnlockUnlocked", CAT_MUTEX, "unlock of an unlocked lock", "A lock was unlocked while not locked."},
    {TOOL_HELGRIND, "UnlockForeign", CAT_MUTEX, "unlock of a lock held by another thread",
     "A thread unlocked a lock that another thread holds."},
    {TOOL_HELGRIND, "UnlockBogus", CAT_MUTEX, "unlock of something that is not a lock",
     "An unlock was called on memory that is not a known lock."},
    {TOOL_HELGRIND, "PthAPIerror", CAT_SYNC_API, "pthread call failed",
     "A pthread function returned an error the program did not expect."},
    {TOOL_HELGRIND, "Misc", CAT_OTHER, "misuse of the threading API",
     "Helgrind saw the threading API used in a dubious way (its own words say how)."},
    {TOOL_HELGRIND, "Dubious", CAT_OTHER, "dubious use of the threading API",
     "Helgrind saw a dubious use of the threading API."},
    /* DRD */
    {TOOL_DRD, "ConflictingAccess", CAT_RACE, "conflicting access (a data race)",
     "Conflicting accesses from two threads without synchronisation."},
    {TOOL_DRD, "MutexErr", CAT_MUTEX, "mutex misuse", "A mutex was used wrongly."},
    {TOOL_DRD, "CondErr", CAT_CONDVAR, "condition variable misuse", "A condition variable was used wrongly."},
    {TOOL_DRD, "CondDestrErr", CAT_CONDVAR, "destroy of a condition variable in use",
     "A condition variable was destroyed while threads wait on it."},
    {TOOL_DRD, "CondRaceErr", CAT_CONDVAR, "condition signalled without its mutex held",
     "A condition variable was signalled while its mutex was not held: DRD calls it a possible race."},
    {TOOL_DRD, "CondWaitErr", CAT_CONDVAR, "condition waited on with two mutexes",
     "Threads wait on one condition variable with different mutexes."},
    {TOOL_DRD, "SemaphoreErr", CAT_SYNC_API, "semaphore misuse", "A semaphore was used wrongly."},
    {TOOL_DRD, "BarrierErr", CAT_SYNC_API, "barrier misuse", "A barrier was used wrongly."},
    {TOOL_DRD, "RwlockErr", CAT_MUTEX, "rwlock misuse", "A reader-writer lock was used wrongly."},
    {TOOL_DRD, "HoldtimeErr", CAT_OTHER, "lock held too long", "A lock was held longer than the limit."},
    {TOOL_DRD, "GenericErr", CAT_OTHER, "threading error", "DRD found a threading error (its own words say which)."},
    {TOOL_DRD, "InvalidThreadId", CAT_SYNC_API, "invalid thread id",
     "A pthread call got a thread that does not exist."},
    /* explore: what a schedule made the program do */
    {TOOL_EXPLORE, "wrong-answer", CAT_ANSWER, "wrong answer under a schedule",
     "Under the schedule of this seed the program printed a wrong result: its answer depends on how its threads "
     "interleave."},
    {TOOL_EXPLORE, "deadlock", CAT_DEADLOCK, "deadlock: every thread blocked",
     "Under the schedule of this seed every thread blocked, each waiting for something only another waiting thread "
     "could give."},
    {TOOL_EXPLORE, "self-deadlock", CAT_DEADLOCK, "a thread locks a lock it holds",
     "A thread locked a non-recursive mutex (or an rwlock for writing) that it already holds: it waits for itself "
     "forever."},
    {TOOL_EXPLORE, "lock-cycle", CAT_LOCK_ORDER, "lock-order cycle that can deadlock",
     "Threads take locks in orders that form a cycle, with no common gate lock and no trylock in it: a schedule "
     "exists in which they deadlock."},
    {TOOL_EXPLORE, "crash", CAT_ANSWER, "crash under a schedule",
     "Under the schedule of this seed the program died of a signal."},
    {TOOL_EXPLORE, "assertion", CAT_ANSWER, "assertion failed under a schedule",
     "Under the schedule of this seed an assertion of the program failed."},
    {TOOL_EXPLORE, "exit-status", CAT_ANSWER, "failed under a schedule (exit status)",
     "Under the schedule of this seed the program exited with a non-zero status."},
    /* memcheck */
    {TOOL_MEMCHECK, "Leak_DefinitelyLost", CAT_MEMORY, "lost memory",
     "Memory is leaked: no pointer to the block remains."},
    {TOOL_MEMCHECK, "Leak_IndirectlyLost", CAT_MEMORY, "lost memory (indirectly)",
     "Memory is leaked: only other leaked blocks point to it."},
    {TOOL_MEMCHECK, "Leak_PossiblyLost", CAT_MEMORY, "possibly lost memory",
     "Memory is possibly leaked (for threads: a thread never joined keeps its stack and TLS)."},
    {TOOL_MEMCHECK, "InvalidRead", CAT_MEMORY, "invalid read", "A read of memory the program does not own."},
    {TOOL_MEMCHECK, "InvalidWrite", CAT_MEMORY, "invalid write", "A write to memory the program does not own."},
    {TOOL_MEMCHECK, "InvalidFree", CAT_MEMORY, "invalid free", "A free of memory that is not a live heap block."},
    {TOOL_MEMCHECK, "UninitCondition", CAT_MEMORY, "decision on an uninitialised value",
     "A branch depends on a value that was never initialised."},
    {TOOL_MEMCHECK, "UninitValue", CAT_MEMORY, "use of an uninitialised value", "An uninitialised value was used."},
};

static const char *const category_names[CAT_COUNT] = {
    "race",    "lock-order", "deadlock", "thread-leak", "memory", "mutex",
    "condvar", "sync-api",   "signal",   "answer",      "other",
};

static const char *const category_helps[CAT_COUNT] = {
    "Order the two accesses: protect every access to the variable with the same lock, make it an atomic, or "
    "join the thread (or use another happens-before edge) before the second access.",
    "Take the locks in one global order everywhere, or take the second lock with a trylock and back off when it "
    "is busy.",
    "Find the threads that wait for each other (the stacks show where each one blocks) and break the cycle: one "
    "lock order, or a wait that can give up.",
    "Join every thread you create (pthread_join), or detach it (pthread_detach) if nobody waits for it.",
    "Free what you allocate once nobody uses it, and never use memory after another thread may have freed it.",
    "Lock and unlock each mutex in the same thread, once each, and only after pthread_mutex_init (and before "
    "pthread_mutex_destroy).",
    "Wait on a condition in a loop with its mutex held, always with the same mutex, and do not destroy a "
    "condition variable threads still wait on.",
    "Check the return value of every pthread, semaphore and barrier call, and use each object as its manual "
    "page says.",
    "Do only async-signal-safe work in a signal handler (set a volatile sig_atomic_t flag), and save and "
    "restore errno in it.",
    "The program's result depends on how its threads interleave: protect the whole check-then-act with one lock, "
    "or make the update one atomic operation. The seed replays the schedule.",
    "Read the tool's own message: it names what went wrong.",
};

const char *category_help(Category c)
{
    return (unsigned)c < CAT_COUNT ? category_helps[c] : category_helps[CAT_OTHER];
}

const char *category_name(Category c)
{
    return (unsigned)c < CAT_COUNT ? category_names[c] : "other";
}

KindInfo kind_info(ToolId tool, const char *kind)
{
    for (size_t i = 0; i < ARRAY_LEN(table); i++)
        if (table[i].tool == tool && !strcmp(table[i].kind, kind))
            return table[i];
    /* nothing invented about a kind we do not know: its own name */
    return (KindInfo){tool, kind, CAT_OTHER, kind,
                      "The tool reported a problem of this kind (its message says which)."};
}
