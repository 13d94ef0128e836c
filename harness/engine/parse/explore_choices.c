#include "explore_choices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strvec.h"
#include "text.h"

static bool take_int(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < 0 || v > 1000000)
        return false;
    *out = (int)v;
    return true;
}

/* "T2:lock:M1" */
static bool take_pending(const char *w, Pending *p)
{
    const char *a = strchr(w, ':'), *b = a ? strchr(a + 1, ':') : NULL;
    if (w[0] != 'T' || !a || !b)
        return false;
    char *num = xstrndup(w + 1, (size_t)(a - w - 1));
    bool ok = take_int(num, &p->tid);
    free(num);
    if (!ok)
        return false;
    p->op = xstrndup(a + 1, (size_t)(b - a - 1));
    p->ref = xstrdup(b + 1);
    return true;
}

static void choice_free(Choice *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->run[i].op), free(c->run[i].ref);
    free(c->run);
}

static bool take_choice(const StrVec *w, size_t expect, Choice *c)
{
    int k;
    memset(c, 0, sizeof *c);
    if (w->n < 7 || !take_int(w->v[1], &k) || (size_t)k != expect || !take_int(w->v[2], &c->cur) ||
        !take_int(w->v[3], &c->chosen))
        return false;
    c->yielded = !strcmp(w->v[4], "y");
    c->diverged = !strcmp(w->v[4], "d");
    c->run = xcalloc(w->n - 5, sizeof *c->run);
    bool chosen_runs = false;
    for (size_t i = 5; i < w->n; i++) {
        if (!take_pending(w->v[i], &c->run[c->n])) {
            choice_free(c);
            return false;
        }
        chosen_runs = chosen_runs || c->run[c->n].tid == c->chosen;
        c->n++;
    }
    if (!chosen_runs)
        choice_free(c);
    return chosen_runs;
}

void choices_read(const char *text, size_t len, ChoiceTrace *t)
{
    memset(t, 0, sizeof *t);
    const char *pos = text, *line;
    size_t ll;
    const char *end = text + len;
    while (pos < end && next_line(&pos, &line, &ll)) {
        if (ll < 3 || (strncmp(line, "cp ", 3) != 0 && strncmp(line, "note ", 5) != 0))
            continue;
        char *l = xstrndup(line, ll);
        StrVec w = STRVEC_INIT;
        strvec_push_words(&w, l);
        free(l);
        if (!strcmp(w.v[0], "note") && w.n >= 2) {
            bool choices = !strcmp(w.v[1], "choices") && w.n >= 3;
            t->cut = t->cut || (choices && !strcmp(w.v[2], "cut:"));
            t->timed = t->timed || (choices && !strcmp(w.v[2], "timed:"));
            t->released = t->released || !strcmp(w.v[1], "released");
            t->malformed = t->malformed || (!strcmp(w.v[1], "schedule") && w.n >= 3 && !strcmp(w.v[2], "malformed:"));
        } else if (!strcmp(w.v[0], "cp") && !t->garbled) {
            Choice c;
            if (take_choice(&w, t->n, &c))
                PUSH(t->v, t->n, t->cap, c);
            else
                t->garbled = xasprintf("choice point %zu is garbled", t->n);
        }
        strvec_clear(&w);
    }
}

void choices_free(ChoiceTrace *t)
{
    for (size_t i = 0; i < t->n; i++)
        choice_free(&t->v[i]);
    free(t->v);
    free(t->garbled);
    memset(t, 0, sizeof *t);
}

static bool runs(const Choice *c, int tid)
{
    for (int i = 0; i < c->n; i++)
        if (c->run[i].tid == tid)
            return true;
    return false;
}

int choice_default(const Choice *c)
{
    if (runs(c, c->cur) && !c->yielded)
        return c->cur;
    for (int i = 0; i < c->n; i++) /* by number */
        if (c->run[i].tid > c->cur)
            return c->run[i].tid;
    return c->run[0].tid;
}

bool choice_preempts(const Choice *c, int tid)
{
    return tid != c->cur && runs(c, c->cur) && !c->yielded;
}
