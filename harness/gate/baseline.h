/* A baseline: the findings a team has accepted for now, so that the gate
 * fails only on new ones. A finding is known by a fingerprint of what does
 * not move when code is edited: tool, kind, variable, and the function and
 * file name of each location. No line numbers, no addresses. */
#ifndef RACELAB_BASELINE_H
#define RACELAB_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"

typedef struct {
    char *fingerprint; /* 16 hex digits */
    char *key;         /* what was hashed, for humans reading the file */
    char *tool;
    char *summary;  /* the finding when it was accepted */
    unsigned count; /* how many findings with this fingerprint are accepted */
    unsigned seen;  /* how many this run matched */
} BaselineEntry;

typedef struct {
    BaselineEntry *items;
    size_t n, cap;
} Baseline;

/* "tsan/data-race|counter|increment_counter@lost_update.c|..." */
char *fingerprint_key(const Finding *f, const SourceSet *ss);
/* The key hashed: what SARIF, JSON and the baseline file carry. */
char *fingerprint_of_key(const char *key);

bool baseline_load(const char *path, Baseline *b, char **err);
bool baseline_save(const Baseline *b, const char *path, char **err);
/* Accepts one more finding with this fingerprint, if the baseline has one
 * left: two findings in the same functions need two entries. */
bool baseline_take(Baseline *b, const char *fingerprint);
/* Adds one accepted finding (count + 1 if the fingerprint is there). */
void baseline_add(Baseline *b, const char *fingerprint, const char *key, const char *tool, const char *summary);
void baseline_free(Baseline *b);

#endif
