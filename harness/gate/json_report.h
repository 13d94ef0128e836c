/* `racelab check --json FILE`: every tool's findings in one schema
 * (docs/check.md, docs/check-report.schema.json). */
#ifndef RACELAB_JSON_REPORT_H
#define RACELAB_JSON_REPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "check.h"
#include "json_out.h"

#define JSON_REPORT_VERSION 1

json_t *json_report(const CheckRun *r);
bool json_report_write(const CheckRun *r, const char *path, char **err);

#endif
