/* `racelab check --json FILE`: every tool's findings in one schema
 * (docs/check.md, docs/check-report.schema.json). */
#ifndef RACELAB_JSON_REPORT_H
#define RACELAB_JSON_REPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "check.h"

#define JSON_REPORT_VERSION 1

/* A JSON string of s with invalid UTF-8 replaced, or null for NULL. */
json_t *json_text(const char *s);
/* Writes root, indented, through a temporary file: a reader never sees
 * half a file. */
bool json_write_file(json_t *root, const char *path, char **err);

json_t *json_report(const CheckRun *r);
bool json_report_write(const CheckRun *r, const char *path, char **err);

#endif
