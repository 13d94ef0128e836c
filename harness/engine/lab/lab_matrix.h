/* The detection matrix (`racelab matrix`): every case x variant x tool
 * as a lab job, run on a pool of jobs, each cell its commonest verdict
 * against the expected one. */
#ifndef RACELAB_LAB_MATRIX_H
#define RACELAB_LAB_MATRIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "spec.h"

typedef struct {
    const CaseSpec *specs; /* the cases, in order (lab_cases.h) */
    size_t nspecs;
    const char *root, *work_dir, *cache_dir;
    long repeat;    /* runs of each cell */
    int jobs;       /* at once */
    bool markdown;  /* a Markdown table; else columns for a terminal */
    unsigned tools; /* mask of (1 << ToolId) */
    bool progress;  /* "N/M runs" on err as jobs finish */
} MatrixJob;

/* Runs the matrix and prints it on out, then each cell not as expected
 * on err; returns how many cells are not as expected. */
int lab_matrix(const MatrixJob *job, FILE *out, FILE *err);

#endif
