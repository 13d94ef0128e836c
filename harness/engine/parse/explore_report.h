/* The explore runtime's report (harness/runtime/explore_protocol.h), read
 * into findings of the tool explore (deadlock, self-deadlock, lock-cycle)
 * whose frames are the program's own lines, as the caller looked them up
 * in the executable; and the schedule's last steps as a short readable
 * trace. */
#ifndef RACELAB_EXPLORE_REPORT_H
#define RACELAB_EXPLORE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"

typedef struct {
    bool started;  /* the header: the runtime ran in the program */
    bool ended;    /* `end`: the program ran its exit handlers */
    bool stuck;    /* it reported a deadlock or self-deadlock and ended the program */
    bool released; /* a thread ran freely for a while: the replay may differ */
    unsigned long long seed;
    unsigned long steps, switches;
    int threads;
    char *trace; /* "": see explore_log_trace */
    char *notes; /* the runtime's notes, one per line */
} ExploreInfo;

/* A report is read in two steps around what only the program can say:
 * explore_log_read reads its lines and collects the program's addresses
 * they name (exe+0x...: code, for frames and the trace; data, for the
 * names of globals); the caller looks those up in the executable (run
 * room: addr2line, the ELF symbols), then explore_log_findings or
 * explore_log_trace builds from the lines and what was found. */
typedef struct ExploreLog ExploreLog;

/* Reads the lines of text: the header, the notes and the end into *info,
 * a report that is garbled into r->problem. with_trace: the trace's
 * addresses are wanted too (for the schedule that is shown). */
ExploreLog *explore_log_read(const char *text, size_t len, bool with_trace, Report *r, ExploreInfo *info);
/* The code addresses it names: the caller fills in fn, file and line. */
CodeLoc *explore_log_code(ExploreLog *log, size_t *n);
/* The data addresses it names; explore_log_name_data gives the i-th one's
 * global ("name" or "name+8", malloc'd, taken; NULL: none). */
const uint64_t *explore_log_data(const ExploreLog *log, size_t *n);
void explore_log_name_data(ExploreLog *log, size_t i, char *name);
/* Adds the findings (deadlock, self-deadlock, lock-cycle) to r, and a
 * report cut off or with no header to r->problem. */
void explore_log_findings(ExploreLog *log, Report *r, ExploreInfo *info);
/* The schedule's last steps, readable and trimmed, with the runtime's
 * notes (info from explore_log_read). */
char *explore_log_trace(ExploreLog *log, const ExploreInfo *info);
void explore_log_free(ExploreLog *log);
void explore_info_free(ExploreInfo *info);

#endif
