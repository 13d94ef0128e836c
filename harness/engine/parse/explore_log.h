/* A report of the explore runtime as explore_log_read leaves it: its
 * lines, the objects it names and the program's addresses, for the
 * readers of its findings (explore_report.c) and of its trace
 * (explore_trace.c). Internal to the parsers. */
#ifndef RACELAB_EXPLORE_LOG_H
#define RACELAB_EXPLORE_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "explore_report.h"
#include "strvec.h"

typedef struct {
    char *name, *kind, *shown; /* M1, mutex, 'lock_a' or "mutex M1" */
    bool at_exe;               /* its address is in the program's data */
    uint64_t addr;
} ObjLine;

struct ExploreLog {
    StrVec *words; /* each line of the report, split */
    size_t n;
    ObjLine *objs;
    size_t nobjs, objs_cap;
    CodeLoc *locs; /* every exe+0x... code address named */
    size_t nlocs, locs_cap;
    uint64_t *data; /* every exe+0x... data address named, and the global at each (or NULL) */
    char **data_names;
    size_t ndata, data_cap;
};

/* "exe+0x1a2b" -> 0x1a2b; false for "?" */
bool elog_offset(const char *ref, uint64_t *off);
/* Where the code address `ref` names is, as the caller found it, or NULL. */
const CodeLoc *elog_loc(const ExploreLog *p, const char *ref);
/* The global at a data address, as the caller named it, or NULL. */
const char *elog_data_name(const ExploreLog *p, uint64_t addr);
/* How a report names an object in what racelab prints. */
const char *elog_obj_shown(const ExploreLog *p, const char *name);
/* Names each object, once the caller has named the data addresses. */
void elog_name_objects(ExploreLog *p);

#endif
