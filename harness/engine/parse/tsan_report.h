/* ThreadSanitizer's text report, as written to log_path.PID: one log per
 * process of the run (a forked child writes its own). */
#ifndef RACELAB_TSAN_REPORT_H
#define RACELAB_TSAN_REPORT_H

#include <stddef.h>

#include "finding.h"

/* What one process's log says it holds: "ThreadSanitizer: reported N
 * warnings" (announced, -1 if absent) against the warnings it does hold. */
typedef struct {
    const char *name; /* the log's file name, for messages */
    long announced;
    long blocks;
} TsanLogCounts;

/* Adds the findings in one process's log to r and fills *counts. A report
 * cut off in the middle, or one in which TSan says it failed (CHECK
 * failed, FATAL), sets r->problem; a program that died of a signal under
 * TSan sets r->crash. */
void tsan_parse_log(const char *text, size_t len, Report *r, const SourceSet *ss, TsanLogCounts *counts);

/* The logs of one run together: each announced count must be what its log
 * holds, but for the warnings a forked child inherits in its counter. */
void tsan_check_counts(const TsanLogCounts *c, size_t n, Report *r);

/* tsan_parse_log and tsan_check_counts for a run with one process. */
void tsan_parse(const char *text, size_t len, Report *r, const SourceSet *ss);

/* A copy of s with each hex number 0x1f.. written "0x...": addresses
 * change from run to run, the rest of a message does not. */
char *without_addresses(const char *s);

#endif
