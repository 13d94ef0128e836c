/* The choice points a systematic explore run wrote (`cp` records,
 * harness/runtime/explore_protocol.h): at each, which threads could run,
 * what each would do next, who held the baton and who ran. */
#ifndef RACELAB_EXPLORE_CHOICES_H
#define RACELAB_EXPLORE_CHOICES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    int tid;
    char *op;  /* "lock", "preempted-writing", ... */
    char *ref; /* "M1", "exe+0x4010", "0x7f...", "T2", "-" */
} Pending;

typedef struct {
    int cur, chosen;
    bool yielded;  /* cur yielded or slept: moving on is no preemption */
    bool diverged; /* the schedule named a thread that could not run */
    Pending *run;  /* the runnable threads, by number */
    int n;
} Choice;

typedef struct {
    Choice *v;
    size_t n, cap;
    bool cut;       /* more choice points than the runtime writes */
    bool timed;     /* a call with a time limit: its timeout is no choice of the search */
    bool released;  /* a thread ran outside the schedule */
    bool malformed; /* the runtime rejected the schedule */
    char *garbled;  /* a record that does not parse: why; NULL */
} ChoiceTrace;

/* Reads every `cp` record (and the notes that bear on them) of a report. */
void choices_read(const char *text, size_t len, ChoiceTrace *t);
void choices_free(ChoiceTrace *t);
/* The thread the default policy runs at c: the current one, unless it
 * cannot run or yielded; then the next by number after it, round the
 * ring. */
int choice_default(const Choice *c);
/* Whether running tid at c preempts the current thread. */
bool choice_preempts(const Choice *c, int tid);

#endif
