/* Writing JSON with jansson: every string goes through printable(), and
 * files are written whole or not at all. */
#ifndef RACELAB_JSON_OUT_H
#define RACELAB_JSON_OUT_H

#include <jansson.h>
#include <stdbool.h>

/* A JSON string of printable(s); JSON null for NULL. */
json_t *json_text(const char *s);
/* Writes root, indented, to path via a temporary file; *err on failure. */
bool json_write_file(json_t *root, const char *path, char **err);

#endif
