/* `racelab check --sarif FILE`: SARIF 2.1.0 for GitHub code scanning and
 * other viewers. One run per tool; ruleId "TOOL/KIND"; the first location
 * of a finding is its result location, the others (the second access of a
 * race, the other lock of an inversion) are relatedLocations. */
#ifndef RACELAB_SARIF_H
#define RACELAB_SARIF_H

#include <jansson.h>
#include <stdbool.h>

#include "check.h"

json_t *sarif_log(const CheckRun *r);
bool sarif_write(const CheckRun *r, const char *path, char **err);

#endif
