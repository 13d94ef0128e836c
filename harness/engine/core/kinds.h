/* What each kind of finding is, for every tool that reports it: the one
 * table that the terminal, JSON, SARIF and the grader's feedback read for
 * a kind's words, and for what it is about (its category). A tool's own
 * kind name stays the key: TSan's warning title with dashes (data-race),
 * Valgrind's <kind> (Race, ConflictingAccess, Leak_PossiblyLost). */
#ifndef RACELAB_KINDS_H
#define RACELAB_KINDS_H

#include <stdbool.h>

#include "tool.h"

typedef enum {
    CAT_RACE,        /* unordered conflicting accesses */
    CAT_LOCK_ORDER,  /* a lock-order cycle: a potential deadlock */
    CAT_DEADLOCK,    /* a deadlock that happened, or a self-deadlock */
    CAT_THREAD_LEAK, /* a thread never joined */
    CAT_MEMORY,      /* leaked or misused memory */
    CAT_MUTEX,       /* a mutex or rwlock used wrongly */
    CAT_CONDVAR,     /* a condition variable used wrongly */
    CAT_SYNC_API,    /* semaphores, barriers, other pthread calls used wrongly */
    CAT_SIGNAL,      /* unsafe work in a signal handler */
    CAT_ANSWER,      /* the program's result or exit was wrong */
    CAT_OTHER,
    CAT_COUNT
} Category;

typedef struct {
    ToolId tool;
    const char *kind;
    Category cat;
    const char *phrase;      /* a few words: "possible data race" */
    const char *description; /* a sentence, for SARIF rules and reports */
} KindInfo;

/* The entry for a tool's kind; a kind not in the table gets a generic
 * one (category CAT_OTHER, the kind itself as its phrase). */
KindInfo kind_info(ToolId tool, const char *kind);
const char *category_name(Category c); /* "race", "lock-order", ... */
/* What to do about a finding of this category: a few sentences, for
 * SARIF rules' help. */
const char *category_help(Category c);

#endif
