/* The tools the lab runs a program under. */
#ifndef RACELAB_TOOL_H
#define RACELAB_TOOL_H

#include <stdbool.h>

typedef enum { TOOL_TSAN, TOOL_HELGRIND, TOOL_DRD, TOOL_MEMCHECK, TOOL_NATIVE, TOOL_COUNT } ToolId;

#define DETECTOR_COUNT TOOL_NATIVE /* tools that produce findings */

const char *tool_name(ToolId t);
bool tool_from_name(const char *name, ToolId *out);
bool tool_is_valgrind(ToolId t);
/* Parses "tsan,drd" into a mask of (1 << ToolId); false on unknown names. */
bool tool_parse_list(const char *list, unsigned *mask, char **err);

#endif
