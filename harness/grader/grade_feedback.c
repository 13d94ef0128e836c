/* What a grade says to a student: the explanation of each kind of finding
 * and a hint for the case's class, in the words of the course notes
 * (shared/seeds: critical section, read-add-write, lock, join, zombie,
 * daemon), and the grade as JSON, text and Gradescope results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade.h"

#include "alloc.h"
#include "json_out.h"
#include "text.h"

/* ---- words ---- */

static const char race_explain[] =
    "a race condition: two threads touch the same shared variable, at least one of them writes, and nothing "
    "orders the two accesses (no lock that both hold, no join between them). Threads share globals and the "
    "heap; only their stacks are their own.";
static const char leak_thread_explain[] =
    "a thread nobody joined. Like a zombie process, a finished thread keeps its stack and its control block "
    "(TCB) until pthread_join harvests it; a thread still running when main returns is killed mid-work by "
    "exit().";
static const char leak_memory_explain[] = "memory that was allocated and never freed.";
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

const char *feedback_explain(const char *kind, bool at_create)
{
    if (!strcmp(kind, "data-race") || !strcmp(kind, "Race") || !strcmp(kind, "ConflictingAccess"))
        return race_explain;
    if (!strcmp(kind, "thread-leak") || (starts_with(kind, "Leak_") && at_create))
        return leak_thread_explain;
    if (starts_with(kind, "Leak_"))
        return leak_memory_explain;
    if (strstr(kind, "lock-order") || !strcmp(kind, "LockOrder"))
        return order_explain;
    if (strstr(kind, "Cond") || strstr(kind, "condition"))
        return cond_explain;
    if (strstr(kind, "mutex") || strstr(kind, "Unlock") || !strcmp(kind, "MutexErr") || !strcmp(kind, "PthAPIerror"))
        return mutex_explain;
    return other_explain;
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
    {"lock-order",
     "the shared data is touched without the lock that guards it.",
     "a run that hangs (or never prints the total) is the deadlock: each thread holds one lock and waits "
     "for the other's. Take the locks in the same order in every thread."},
};

static const char generic_race_hint[] =
    "make every access to the shared variable, in every thread, part of a critical section of the same "
    "lock; or order the accesses with pthread_join; or use C11 atomics for a single variable.";

const char *feedback_hint(const char *klass, const char *kind, bool at_create)
{
    const char *ex = feedback_explain(kind, at_create);
    if (ex == race_explain) {
        for (size_t i = 0; i < ARRAY_LEN(class_hints); i++)
            if (!strcmp(klass, class_hints[i].klass))
                return class_hints[i].race;
        return generic_race_hint;
    }
    if (ex == leak_thread_explain)
        return "keep each pthread_t and call pthread_join on every thread you create before main returns. "
               "A detached thread cannot be joined: nothing can wait for it.";
    if (ex == leak_memory_explain)
        return "free what you malloc, once no thread uses it any more (after the join).";
    if (ex == order_explain)
        return "take the locks in one fixed order everywhere (always A before B), or hold one lock at a time.";
    if (ex == cond_explain)
        return "call pthread_cond_wait with its mutex held, in a `while` loop that re-checks the condition "
               "(wait() releases the lock while it sleeps), and change the condition under the same lock.";
    if (ex == mutex_explain)
        return "every pthread_mutex_lock has exactly one pthread_mutex_unlock, in the same thread, on every "
               "path out of the critical section.";
    return "read the tool's message and the lines it names.";
}

const char *feedback_wrong_answer_hint(const char *klass)
{
    for (size_t i = 0; i < ARRAY_LEN(class_hints); i++)
        if (!strcmp(klass, class_hints[i].klass))
            return class_hints[i].answer;
    return "an answer that depends on how the threads were scheduled is the mark of a race condition.";
}

const char *feedback_kind_phrase(const char *kind)
{
    static const struct {
        const char *kind, *phrase;
    } p[] = {
        {"data-race", "data race"},
        {"Race", "possible data race"},
        {"ConflictingAccess", "conflicting access (a data race)"},
        {"thread-leak", "thread leak (a thread never joined)"},
        {"Leak_PossiblyLost", "possibly lost memory"},
        {"Leak_DefinitelyLost", "lost memory"},
        {"lock-order-inversion", "lock order inversion (potential deadlock)"},
        {"LockOrder", "lock order violated (potential deadlock)"},
    };
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        if (!strcmp(kind, p[i].kind))
            return p[i].phrase;
    return kind;
}

/* ---- JSON ---- */

static json_t *jstr(const char *s)
{
    char *p = printable(s ? s : "", s ? strlen(s) : 0);
    json_t *j = json_string(p);
    free(p);
    return j;
}

static const char *status_word(CheckStatus s)
{
    static const char *const n[] = {"passed", "failed", "skipped", "not-needed"};
    return n[s];
}

json_t *grade_to_json(const GradeOptions *o, const Submission *sub, const GradeResult *g)
{
    json_t *j = json_object();
    json_object_set_new(j, "case", jstr(o->spec->name));
    json_object_set_new(j, "class", jstr(o->spec->klass));
    json_object_set_new(j, "submission", jstr(sub->display));
    json_object_set_new(j, "score", json_integer(g->score));
    json_object_set_new(j, "max_score", json_integer(g->max));
    const char *status = g->rejected ? "rejected" : g->cheats.n ? "cheat" : g->score == g->max ? "full" : "partial";
    json_object_set_new(j, "status", json_string(status));
    if (g->rejected)
        json_object_set_new(j, "rejected", jstr(g->rejected));
    json_t *cheats = json_array();
    for (size_t i = 0; i < g->cheats.n; i++) {
        json_t *c = json_object();
        json_object_set_new(c, "id", jstr(g->cheats.items[i].id));
        json_object_set_new(c, "line", json_integer(g->cheats.items[i].line));
        json_object_set_new(c, "message", jstr(g->cheats.items[i].message));
        json_array_append_new(cheats, c);
    }
    json_object_set_new(j, "cheats", cheats);
    json_t *checks = json_array();
    for (int i = 0; i < CHK_COUNT; i++) {
        const Check *c = &g->checks[i];
        json_t *k = json_object();
        json_object_set_new(k, "id", json_string(check_key((CheckId)i)));
        json_object_set_new(k, "name", json_string(check_name((CheckId)i)));
        json_object_set_new(k, "score", json_integer(c->points));
        json_object_set_new(k, "max_score", json_integer(c->max));
        json_object_set_new(k, "status", json_string(status_word(c->status)));
        json_object_set_new(k, "summary", jstr(c->summary));
        json_object_set_new(k, "feedback", jstr(c->detail.buf));
        json_array_append_new(checks, k);
    }
    json_object_set_new(j, "checks", checks);
    if (g->policy)
        json_object_set_new(j, "policy", jstr(g->policy));
    json_object_set_new(j, "inputs", jstr(g->runs_text));
    json_object_set_new(j, "sandbox", jstr(g->sandbox));
    json_object_set_new(j, "seconds", json_real(g->seconds));
    return j;
}

static const char *jget(const json_t *j, const char *key)
{
    const char *s = json_string_value(json_object_get(j, key));
    return s ? s : "";
}

static long long jint(const json_t *j, const char *key)
{
    return json_integer_value(json_object_get(j, key));
}

void grade_print_text(FILE *out, const json_t *j)
{
    fprintf(out, "racelab grade %s: %s\n", jget(j, "case"), jget(j, "submission"));
    if (*jget(j, "rejected"))
        fprintf(out, "  NOT GRADED: %s\n", jget(j, "rejected"));
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(j, "checks"), i, c)
    {
        const char *st = jget(c, "status");
        if (!strcmp(st, "not-needed")) {
            fprintf(out, "  [  -  ] n/a     %s: %s\n", jget(c, "name"), jget(c, "summary"));
            continue;
        }
        fprintf(out, "  [%2lld/%2lld] %-7s %s: %s\n", jint(c, "score"), jint(c, "max_score"),
                !strcmp(st, "passed") ? "ok" : !strcmp(st, "failed") ? "FAILED" : "skipped", jget(c, "name"),
                jget(c, "summary"));
        const char *fb = jget(c, "feedback");
        for (const char *p = fb; *p;) {
            const char *eol = strchr(p, '\n');
            size_t len = eol ? (size_t)(eol - p) : strlen(p);
            fprintf(out, "        %.*s\n", (int)len, p);
            p = eol ? eol + 1 : p + len;
        }
    }
    json_t *cheats = json_object_get(j, "cheats");
    if (json_array_size(cheats)) {
        fprintf(out, "  CHEATING: the score is 0 whatever the checks say:\n");
        json_array_foreach(cheats, i, c)
        fprintf(out, "    - [%s] %s\n", jget(c, "id"), jget(c, "message"));
    }
    if (*jget(j, "policy"))
        fprintf(out, "  Tool limitation: %s (docs/grade.md).\n", jget(j, "policy"));
    fprintf(out, "Score: %lld/%lld (%s)\n", jint(j, "score"), jint(j, "max_score"), jget(j, "status"));
    const char *inputs = jget(j, "inputs");
    if (*inputs) {
        fprintf(out, "  inputs drawn by the grader:");
        for (const char *p = inputs; *p;) {
            const char *eol = strchr(p, '\n');
            size_t len = eol ? (size_t)(eol - p) : strlen(p);
            fprintf(out, "%s%.*s", p == inputs ? " " : "; ", (int)len, p);
            p = eol ? eol + 1 : p + len;
        }
        fputc('\n', out);
    }
    fprintf(out, "  sandbox: %s\n  graded in %.1f s\n", jget(j, "sandbox"),
            json_real_value(json_object_get(j, "seconds")));
}

json_t *grade_to_gradescope(const json_t *j)
{
    json_t *r = json_object();
    json_object_set_new(r, "score", json_integer(jint(j, "score")));
    json_object_set_new(r, "execution_time", json_integer((json_int_t)(json_real_value(json_object_get(j, "seconds")) + 0.5)));
    json_object_set_new(r, "visibility", json_string("visible"));
    json_object_set_new(r, "stdout_visibility", json_string("hidden"));
    StrBuf out = STRBUF_INIT;
    sb_addf(&out, "racelab: %lld/%lld for %s (%s).", jint(j, "score"), jint(j, "max_score"), jget(j, "case"),
            jget(j, "status"));
    if (*jget(j, "rejected"))
        sb_addf(&out, " Not graded: %s.", jget(j, "rejected"));
    if (*jget(j, "policy"))
        sb_addf(&out, " Tool limitation: %s.", jget(j, "policy"));
    json_t *tests = json_array();
    size_t i;
    json_t *c;
    json_t *cheats = json_object_get(j, "cheats");
    if (json_array_size(cheats)) {
        StrBuf co = STRBUF_INIT;
        json_array_foreach(cheats, i, c)
        sb_addf(&co, "%s\n", jget(c, "message"));
        json_t *t = json_object();
        json_object_set_new(t, "name", json_string("no tampering with the checks (a cheat makes the score 0)"));
        json_object_set_new(t, "score", json_integer(0));
        json_object_set_new(t, "max_score", json_integer(0));
        json_object_set_new(t, "status", json_string("failed"));
        json_object_set_new(t, "output", json_string(co.buf));
        json_object_set_new(t, "visibility", json_string("visible"));
        json_array_append_new(tests, t);
        sb_free(&co);
        sb_add(&out, " Cheating was detected: the score is 0.");
    }
    json_array_foreach(json_object_get(j, "checks"), i, c)
    {
        if (!strcmp(jget(c, "status"), "not-needed"))
            continue;
        json_t *t = json_object();
        json_object_set_new(t, "name", json_string(jget(c, "name")));
        json_object_set_new(t, "score", json_integer(jint(c, "score")));
        json_object_set_new(t, "max_score", json_integer(jint(c, "max_score")));
        json_object_set_new(t, "status", json_string(!strcmp(jget(c, "status"), "passed") ? "passed" : "failed"));
        char *o = xasprintf("%s\n%s", jget(c, "summary"), jget(c, "feedback"));
        json_object_set_new(t, "output", json_string(o));
        free(o);
        json_object_set_new(t, "visibility", json_string("visible"));
        json_array_append_new(tests, t);
    }
    json_object_set_new(r, "tests", tests);
    json_object_set_new(r, "output", json_string(out.buf));
    sb_free(&out);
    return r;
}
