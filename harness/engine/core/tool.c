#include "tool.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "text.h"

static const char *const names[TOOL_COUNT] = {"tsan", "helgrind", "drd", "memcheck", "explore", "native"};

const char *tool_name(ToolId t)
{
    return (unsigned)t < TOOL_COUNT ? names[t] : "?";
}

bool tool_from_name(const char *name, ToolId *out)
{
    for (int i = 0; i < TOOL_COUNT; i++) {
        if (!strcmp(name, names[i])) {
            *out = (ToolId)i;
            return true;
        }
    }
    return false;
}

bool tool_is_valgrind(ToolId t)
{
    return t == TOOL_HELGRIND || t == TOOL_DRD || t == TOOL_MEMCHECK;
}

bool tool_parse_list(const char *list, unsigned *mask, char **err)
{
    char *copy = xstrdup(list);
    char *save = NULL;
    *mask = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        ToolId t;
        tok = trim(tok);
        if (!strcmp(tok, "all")) {
            *mask |= (1u << DETECTOR_COUNT) - 1;
            continue;
        }
        if (!tool_from_name(tok, &t)) {
            *err = xasprintf("unknown tool '%s' (tools: tsan, helgrind, drd, memcheck, explore, native)", tok);
            free(copy);
            return false;
        }
        *mask |= 1u << t;
    }
    free(copy);
    if (!*mask) {
        *err = xstrdup("no tool given");
        return false;
    }
    return true;
}
