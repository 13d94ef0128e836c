/* The explore runtime's report (harness/runtime/explore_protocol.h), read
 * into findings of the tool explore (deadlock, self-deadlock, lock-cycle)
 * whose frames are the program's own lines, looked up in the executable;
 * and the schedule's last steps as a short readable trace. */
#ifndef RACELAB_EXPLORE_REPORT_H
#define RACELAB_EXPLORE_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"

typedef struct {
    bool started;  /* the header: the runtime ran in the program */
    bool ended;    /* `end`: the program ran its exit handlers */
    bool stuck;    /* it reported a deadlock or self-deadlock and ended the program */
    bool released; /* a thread ran freely for a while: the replay may differ */
    unsigned long long seed;
    unsigned long steps, switches;
    int threads;
    char *trace; /* "": see explore_trace */
    char *notes; /* the runtime's notes, one per line */
} ExploreInfo;

/* Adds the findings in text to r (problems in r->problem: a report
 * that is garbled or cut off). exe is the program, for its lines and the
 * names of its globals. */
void explore_parse(const char *text, size_t len, const char *exe, Report *r, ExploreInfo *info);
void explore_info_free(ExploreInfo *info);
/* The schedule's last steps, readable and trimmed, with the runtime's
 * notes: for the schedule that is shown (it runs addr2line). */
char *explore_trace(const char *text, size_t len, const char *exe);

#endif
