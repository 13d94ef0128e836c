/* A case's two programs (cases/NAME.c, buggy; fixed/NAME.c) and the
 * verdict each must get under each tool. */
#include <string.h>

#include "alloc.h"
#include "lab.h"

const char *variant_name(Variant v)
{
    return v == VARIANT_BUGGY ? "buggy" : "fixed";
}

bool variant_from_name(const char *s, Variant *v)
{
    if (!strcmp(s, "buggy") || !strcmp(s, "cases"))
        *v = VARIANT_BUGGY;
    else if (!strcmp(s, "fixed"))
        *v = VARIANT_FIXED;
    else
        return false;
    return true;
}

char *lab_case_path(const char *root, const char *name, Variant v)
{
    return xasprintf("%s/%s/%s.c", root, v == VARIANT_BUGGY ? "cases" : "fixed", name);
}

Verdict lab_expected(const CaseSpec *spec, Variant v, ToolId tool)
{
    if (v == VARIANT_FIXED)
        return V_CLEAN;
    if (spec->expect[tool].given)
        return spec->expect[tool].verdict;
    if (tool == TOOL_NATIVE)
        return spec->native == NATIVE_DEADLOCK ? V_DEADLOCK : V_MEASURED;
    return spec->tools[tool].blind ? V_CLEAN : V_DETECTED;
}
