/* How well explore shows a case's bug, measured, not assumed (`racelab
 * measure`): the buggy program natively at the case's own inputs, many
 * times (the bug rate a plain run has); under explore over many seeds
 * (the rate per schedule, and the median number of seeds until the first
 * finding, from every starting seed); the first failing seed replayed
 * (does it show the same thing every time?); the fixed program over many
 * seeds (it must stay clean); and the time a run takes either way. */
#ifndef RACELAB_LAB_MEASURE_H
#define RACELAB_LAB_MEASURE_H

#include <stdbool.h>
#include <stdio.h>

#include "spec.h"

typedef struct {
    const char *root;      /* the lab: cases/NAME.c, fixed/NAME.c */
    const char *name;      /* the case */
    const char *work_dir;  /* runs */
    const char *cache_dir; /* builds */
    long runs;             /* plain native runs */
    long seeds;            /* explore's seeds for the buggy program */
    long replays;          /* replays of its first failing seed */
    long fixed_seeds;      /* explore's seeds for the fixed program */
} MeasureJob;

typedef struct {
    CaseSpec spec;
    bool loaded;            /* spec was read */
    long runs, replays;
    int plain_bad;          /* plain runs with a wrong answer or that failed */
    int explored, failing;  /* the buggy program's schedules, and of them failing */
    int first;              /* the index of the first failing seed; -1: none */
    unsigned long long seed; /* it, replayed */
    int same;               /* replays with the same findings and output */
    int nto;                /* starting seeds with a finding after them */
    double to_first_med;    /* median seeds to the first finding */
    double within10;        /* of them, how many within 10 seeds */
    int fixed_explored, fixed_failing;
    double plain_med, explore_med; /* seconds a run */
} MeasureResult;

/* Measures; false with *err (malloc'd) when the case cannot be read or a
 * program does not compile. */
bool lab_measure(const MeasureJob *job, MeasureResult *res, char **err);
/* The measurements as lines for a reader, or as one Markdown table row. */
void lab_measure_print(FILE *out, const MeasureResult *res, bool markdown);
void lab_measure_free(MeasureResult *res);

#endif
