/* Systematic mode: the schedule is not drawn from a seed but given, as
 * its deviations from a default policy, so that racelab can enumerate
 * schedules (every one within a preemption bound) by re-running the
 * program, as CHESS does. A choice point is a scheduling point where two
 * or more threads could run; each is written (`cp`) with what every
 * runnable thread does next, for racelab to choose the next schedule.
 *
 * The default policy is non-preemptive: the thread that runs goes on; when
 * it blocks, ends, yields or sleeps, the next runnable thread by number
 * (after it, round the ring) runs. Nothing else is left to chance here:
 * no priorities, no spurious wakeups, a signalled condition wakes its
 * first waiter, and a timed wait times out only when nothing else can
 * run. */
#include "rt.h"

#include <stdlib.h>
#include <string.h>

#define CHOICES_WRITTEN 100000UL /* choice points written at most */

static struct {
    unsigned long *k; /* deviations: at choice point k[i], thread t[i] */
    int *t;
    int n, next;
    unsigned long point; /* choice points so far */
    bool diverged_said, cut_said;
} sched;

bool rt_choice_init(const char *s)
{
    ctl.systematic = true;
    int cap = 0;
    unsigned long last = 0;
    while (*s) {
        char *end;
        unsigned long k = strtoul(s, &end, 10);
        if (end == s || *end != ':' || (sched.n && k <= last))
            return false;
        s = end + 1;
        long t = strtol(s, &end, 10);
        if (end == s || t < 1 || t > 1000000 || (*end && *end != ','))
            return false;
        s = *end ? end + 1 : end;
        if (sched.n == cap) {
            cap = cap ? cap * 2 : 16;
            unsigned long *nk = realloc(sched.k, (size_t)cap * sizeof *nk);
            int *nt = nk ? realloc(sched.t, (size_t)cap * sizeof *nt) : NULL;
            if (!nk || !nt)
                return false;
            sched.k = nk;
            sched.t = nt;
        }
        sched.k[sched.n] = k;
        sched.t[sched.n++] = (int)t;
        last = k;
    }
    return true;
}

Thr *rt_choose(void)
{
    Thr *run[64], **many = NULL;
    Thr **r = run;
    int n = 0;
    for (int i = 0; i < ctl.nthr; i++) {
        if (atomic_load(&ctl.thr[i]->state) != TS_RUNNABLE)
            continue;
        if (n == 64 && !many) {
            many = malloc((size_t)ctl.nthr * sizeof *many);
            if (!many)
                break;
            memcpy(many, run, sizeof run);
            r = many;
        }
        r[n++] = ctl.thr[i];
    }
    if (!n)
        return NULL;
    Thr *cur = atomic_load(&ctl.current);
    bool cur_runs = false;
    for (int i = 0; i < n && !cur_runs; i++)
        cur_runs = r[i] == cur;
    /* the default: go on, or the next by number after the current one */
    Thr *pick = NULL;
    if (cur_runs && !ctl.yielded) {
        pick = cur;
    } else {
        int after = cur ? cur->id : 0;
        for (int i = 0; i < n && !pick; i++)
            if (r[i]->id > after)
                pick = r[i];
        if (!pick)
            pick = r[0];
    }
    bool yielded = ctl.yielded;
    ctl.yielded = false;
    if (n < 2) {
        free(many);
        return pick;
    }
    unsigned long k = sched.point++;
    const char *flags = yielded && cur_runs ? "y" : "-";
    if (sched.next < sched.n && sched.k[sched.next] == k) {
        int want = sched.t[sched.next++];
        Thr *named = NULL;
        for (int i = 0; i < n && !named; i++)
            if (r[i]->id == want)
                named = r[i];
        if (named)
            pick = named;
        else
            flags = "d"; /* the program did not do what it did when the schedule was made */
    }
    if (k < CHOICES_WRITTEN) {
        rt_write_choice(k, cur, pick, flags, r, n);
    } else if (!sched.cut_said) {
        sched.cut_said = true;
        rt_writef("note choices cut: more than %lu choice points; the rest were not written", CHOICES_WRITTEN);
    }
    free(many);
    return pick;
}
