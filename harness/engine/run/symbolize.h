/* Source lines for code addresses of an executable, from its debug info:
 * binutils' addr2line, run once for a whole batch. */
#ifndef RACELAB_SYMBOLIZE_H
#define RACELAB_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h" /* CodeLoc */

/* Fills in fn, file and line of each; false with *err if addr2line could
 * not be run or said something unreadable (the CodeLocs stay unknown). */
bool symbolize(const char *exe, CodeLoc *locs, size_t n, char **err);

#endif
