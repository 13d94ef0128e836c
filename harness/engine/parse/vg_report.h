/* Valgrind's --xml=yes output (protocol 4), read with expat. */
#ifndef RACELAB_VG_REPORT_H
#define RACELAB_VG_REPORT_H

#include <stddef.h>

#include "finding.h"

/* Adds the <error>s of a Helgrind, DRD or memcheck XML file to r. Malformed
 * or truncated XML, another tool's XML, or a run that did not reach
 * <state>FINISHED</state> set r->problem; a <fatal_signal> sets r->crash. */
void vg_parse(const char *xml, size_t len, ToolId tool, Report *r, const SourceSet *ss);

#endif
