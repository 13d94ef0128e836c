/* What a tool reported, in one shape for every tool: a finding has a kind,
 * maybe a variable, and stacks; some stacks are its *locations* (the racing
 * accesses, the lock acquisitions, the thread creation). */
#ifndef RACELAB_FINDING_H
#define RACELAB_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kinds.h"
#include "tool.h"

typedef struct {
    char *fn;   /* NULL if unknown */
    char *file; /* path as the tool gave it (dir/file for Valgrind), or NULL */
    int line;   /* 0: unknown */
} Frame;

typedef struct {
    char *title; /* "Previous write of size 4 ... by thread T1" */
    Frame *frames;
    size_t n, cap;
    bool is_location;
} Stack;

typedef struct {
    ToolId tool;
    char *kind;    /* tool's own name: data-race, Race, ConflictingAccess... */
    char *message; /* the tool's one-line description */
    char *var;     /* variable named by the tool, or NULL */
    Stack *stacks;
    size_t nstacks, stacks_cap;
    char **threads;
    size_t nthreads, threads_cap;
    unsigned count; /* how many times the tool saw it */
    char *unique;   /* Valgrind's <unique> id, to read <errorcounts> */
    char *detail;   /* more to show, a line each: explore's trace; or NULL */
    char *replay;   /* the command that shows it again (explore: its seed); or NULL */
} Finding;

typedef struct {
    Finding *items;
    size_t n, cap;
    /* The report could not be used (truncated, garbled, the tool failed
     * internally): why. A report with a problem never reads as clean. */
    char *problem;
    /* The program died of a signal: how. */
    char *crash;
    Stack crash_stack;
    /* What the tool saw that proves a pattern safe, kept apart from the
     * findings (explore: `gated-cycle`, a lock cycle none of whose
     * instances can deadlock; `ordered`/`unordered`, two conflicting
     * accesses with or without happens-before between them). Only the
     * tool-limitation policy (toollimits.h) reads it. */
    Finding *evidence;
    size_t nevidence, evidence_cap;
    /* Why the evidence is not whole (a search cut short), or NULL: then
     * nothing is dismissed on it. */
    char *incomplete;
} Report;

/* A code address of a program and where it is in the source: what
 * addr2line says of it (symbolize.h). */
typedef struct {
    uint64_t addr; /* as in the ELF file (a PIE's offset from its load address) */
    char *fn;      /* demangled; NULL if unknown */
    char *file;    /* NULL if unknown */
    int line;      /* 0 if unknown */
} CodeLoc;
void codeloc_free(CodeLoc *locs, size_t n);

/* Which source files are "the program's own": frames in them are where a
 * finding is located. With no sources, any frame outside the system and
 * the tools' runtimes counts. */
typedef struct {
    char **paths; /* real paths */
    size_t n, cap;
} SourceSet;

void sources_add(SourceSet *ss, const char *path);
void sources_free(SourceSet *ss);
bool frame_is_user(const Frame *f, const SourceSet *ss);

/* The top user frame of a stack, or NULL. */
const Frame *stack_user_frame(const Stack *s, const SourceSet *ss);

/* A finding's locations, in order: each location stack with its top frame
 * in the program's own code (NULL when no frame of it is). Walk them with
 *     for (LocIter it = LOC_ITER(f, ss); loc_next(&it);) ... it.frame ...  */
typedef struct {
    const Finding *f;
    const SourceSet *ss;
    size_t next;
    size_t index;       /* 0 for the first location */
    const Stack *stack; /* this location's stack */
    const Frame *frame; /* its top user frame, or NULL */
} LocIter;
#define LOC_ITER(f, ss)             \
    {                               \
        (f), (ss), 0, 0, NULL, NULL \
    }
bool loc_next(LocIter *it);
size_t finding_nlocations(const Finding *f);

/* What the finding is about (kinds.h), from its kind and, for a leak,
 * where the block was allocated: memory allocated under pthread_create
 * is a thread nobody joined. */
Category finding_category(const Finding *f);

Stack *finding_add_stack(Finding *f, const char *title, bool is_location);
void stack_add_frame(Stack *s, const char *fn, const char *file, int line);
void finding_add_thread(Finding *f, const char *desc);
void finding_free(Finding *f);
void stack_free(Stack *s);
void report_init(Report *r);
void report_free(Report *r);
void report_set_problem(Report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
Finding *report_add(Report *r, ToolId tool, const char *kind);
Finding *report_add_evidence(Report *r, ToolId tool, const char *kind);
/* Moves from's evidence (and its incompleteness) into r: the evidence of
 * many runs of one program. */
void report_take_evidence(Report *r, Report *from);

/* Merges findings that are the same (kind, variable, locations, functions)
 * into one, adding up their counts. */
void report_dedupe(Report *r, const SourceSet *ss);

/* "lost_update.c:59" or "lost_update.c:?" for a location stack. */
char *frame_short(const Frame *f);
/* One line: `tsan data-race counter at lost_update.c:59 vs lost_update.c:59` */
char *finding_summary(const Finding *f, const SourceSet *ss);
/* The summary, then each stack trimmed to the user's frames. */
void finding_print(FILE *out, const Finding *f, const SourceSet *ss, const char *indent);

#endif
