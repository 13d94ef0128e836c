/* ThreadSanitizer's text report, as written to log_path.PID. */
#ifndef RACELAB_TSAN_REPORT_H
#define RACELAB_TSAN_REPORT_H

#include <stddef.h>

#include "finding.h"

/* Adds the findings in text to r. A report cut off in the middle, or one in
 * which TSan says it failed (CHECK failed, FATAL), sets r->problem; a
 * program that died of a signal under TSan sets r->crash. */
void tsan_parse(const char *text, size_t len, Report *r, const SourceSet *ss);

/* A copy of s with each hex number 0x1f.. written "0x...": addresses
 * change from run to run, the rest of a message does not. */
char *without_addresses(const char *s);

#endif
