#include "verdict.h"

#include <string.h>

const char *verdict_name(Verdict v)
{
    static const char *const n[V_COUNT] = {"CLEAN",    "DETECTED", "MISSED",  "UNEXPECTED", "WRONG_ANSWER",
                                           "MEASURED", "ERROR",    "TIMEOUT", "DEADLOCK"};
    return (unsigned)v < V_COUNT ? n[v] : "?";
}

bool verdict_from_name(const char *s, Verdict *v)
{
    for (int i = 0; i < V_COUNT; i++) {
        if (!strcmp(s, verdict_name((Verdict)i))) {
            *v = (Verdict)i;
            return true;
        }
    }
    return false;
}
