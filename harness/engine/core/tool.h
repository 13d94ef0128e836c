/* The tools the lab runs a program under: four detectors (TSan, and
 * Valgrind's Helgrind, DRD and memcheck), explore (native runs under the
 * schedule controller, one per seed), and native (plain runs, measured). */
#ifndef RACELAB_TOOL_H
#define RACELAB_TOOL_H

#include <stdbool.h>

typedef enum { TOOL_TSAN, TOOL_HELGRIND, TOOL_DRD, TOOL_MEMCHECK, TOOL_EXPLORE, TOOL_NATIVE, TOOL_COUNT } ToolId;

#define DETECTOR_COUNT TOOL_NATIVE /* tools that produce findings: all but native */

const char *tool_name(ToolId t);
bool tool_from_name(const char *name, ToolId *out);
bool tool_is_valgrind(ToolId t);
/* Parses "tsan,drd" into a mask of (1 << ToolId); false on unknown names. */
bool tool_parse_list(const char *list, unsigned *mask, char **err);

#endif
