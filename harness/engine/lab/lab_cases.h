/* The lab's cases together: loading every case under the lab's root,
 * listing them, and the CTest file that makes one test of each case x
 * variant x tool. */
#ifndef RACELAB_LAB_CASES_H
#define RACELAB_LAB_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "spec.h"

/* Every case file (cases/NAME.c) under root, loaded, sorted by name;
 * NULL with *err (malloc'd: the file and line of the first bad header,
 * or a root with no cases/) if one cannot be. */
CaseSpec *lab_load_cases(const char *root, size_t *n, char **err);
void lab_cases_free(CaseSpec *specs, size_t n);
/* Each case's parameters, outputs and expectations, as read from its header. */
void lab_list_cases(FILE *out, const CaseSpec *specs, size_t n);
/* The CTest file: one test per case x variant x tool, each running
 * `RACELAB run CASE VARIANT TOOL --root ROOT EXTRA...`; with
 * only_expected (the harness's fixtures), one per `expect:` line of a
 * buggy program. */
void lab_write_ctest(FILE *out, const CaseSpec *specs, size_t n, const char *racelab, const char *root,
                     bool only_expected, char **extra, int nextra);

#endif
