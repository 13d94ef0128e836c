#include "toolopts.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"
#include "text.h"

/* One allowed option: its name and the values it may take ("#" a whole
 * number, a list "a|b" the only words allowed). */
typedef struct {
    const char *name;
    const char *values;
} Allowed;

/* Valgrind core options, for Helgrind, DRD and memcheck alike. */
static const Allowed core[] = {
    {"--num-callers", "#"},        {"--max-threads", "#"},           {"--fair-sched", "yes|no|try"},
    {"--max-stackframe", "#"},     {"--main-stacksize", "#"},        {"--valgrind-stacksize", "#"},
    {"--read-var-info", "yes|no"}, {"--read-inline-info", "yes|no"}, {"--smc-check", "none|stack|all|all-non-file"},
    {"--error-limit", "yes|no"},
};

static const Allowed helgrind[] = {
    {"--history-level", "full|approx|none"}, {"--conflict-cache-size", "#"},
    {"--check-stack-refs", "yes"}, /* no: races on stacks unseen */
    {"--free-is-write", "yes|no"},           {"--delta-stacktrace", "yes|no"},
};

static const Allowed drd[] = {
    {"--check-stack-var", "yes|no"}, {"--exclusive-threshold", "#"},  {"--shared-threshold", "#"},
    {"--join-list-vol", "#"},        {"--segment-merging", "yes|no"}, {"--segment-merging-interval", "#"},
    {"--first-race-only", "yes|no"}, {"--free-is-write", "yes|no"},
};

static const Allowed memcheck[] = {
    {"--track-origins", "yes|no"},
    {"--malloc-fill", "#x"},
    {"--free-fill", "#x"},
    {"--freelist-vol", "#"},
    {"--freelist-big-blocks", "#"},
    {"--keep-stacktraces", "alloc|free|alloc-and-free|alloc-then-free|none"},
    {"--leak-resolution", "low|med|high"},
    {"--expensive-definedness-checks", "yes|no|auto"},
    {"--partial-loads-ok", "yes|no"},
};

/* TSan's flags (TSAN_OPTIONS name=value). */
static const Allowed tsan[] = {
    {"history_size", "0|1|2|3|4|5|6|7"},
    {"flush_memory_ms", "#"},
    {"memory_limit_mb", "#"},
    {"die_after_fork", "0|1"},
    {"io_sync", "0|1|2"},
    {"second_deadlock_stack", "0|1"},
    {"allocator_may_return_null", "0|1"},
};

static bool value_ok(const char *value, const char *allowed)
{
    if (!strcmp(allowed, "#") || !strcmp(allowed, "#x")) {
        /* a number: decimal, or hex where "#x" (memcheck's fill bytes) */
        bool hex = allowed[1] == 'x' && starts_with(value, "0x");
        const char *digits = hex ? "0123456789abcdefABCDEF" : "0123456789";
        const char *v = hex ? value + 2 : value;
        return *v && strspn(v, digits) == strlen(v) && strlen(v) <= 18;
    }
    size_t vl = strlen(value);
    for (const char *p = allowed; *p;) {
        size_t len = strcspn(p, "|");
        if (len == vl && !strncmp(p, value, vl))
            return true;
        p += len + (p[len] == '|');
    }
    return false;
}

static const Allowed *find(const Allowed *list, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i].name) == len && !strncmp(list[i].name, name, len))
            return &list[i];
    return NULL;
}

static void list_names(StrBuf *sb, const Allowed *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sb_addf(sb, "%s%s=%s", i ? ", " : "", list[i].name, !strcmp(list[i].values, "#") ? "N" : list[i].values);
}

bool toolopt_is_valgrind_core(const char *opt)
{
    const char *eq = strchr(opt, '=');
    return eq && find(core, ARRAY_LEN(core), opt, (size_t)(eq - opt));
}

bool toolopt_allowed(ToolId tool, const char *opt, char **why)
{
    const Allowed *own = NULL;
    size_t nown = 0;
    switch (tool) {
    case TOOL_TSAN: own = tsan, nown = ARRAY_LEN(tsan); break;
    case TOOL_HELGRIND: own = helgrind, nown = ARRAY_LEN(helgrind); break;
    case TOOL_DRD: own = drd, nown = ARRAY_LEN(drd); break;
    case TOOL_MEMCHECK: own = memcheck, nown = ARRAY_LEN(memcheck); break;
    default: break;
    }
    const char *eq = strchr(opt, '=');
    const Allowed *a = NULL;
    if (eq && own)
        a = find(own, nown, opt, (size_t)(eq - opt));
    if (eq && !a && tool_is_valgrind(tool))
        a = find(core, ARRAY_LEN(core), opt, (size_t)(eq - opt));
    if (a && value_ok(eq + 1, a->values))
        return true;
    StrBuf sb = STRBUF_INIT;
    if (a)
        sb_addf(&sb, "%s takes %s here", a->name, !strcmp(a->values, "#") ? "a number" : a->values);
    else if (!eq)
        sb_addf(&sb, "give it as NAME=VALUE");
    else
        sb_addf(&sb, "not an option racelab passes to %s (racelab sets what decides a verdict itself)",
                tool_name(tool));
    sb_add(&sb, "; allowed: ");
    list_names(&sb, own, nown);
    if (tool_is_valgrind(tool)) {
        sb_add(&sb, "; for every Valgrind tool: ");
        list_names(&sb, core, ARRAY_LEN(core));
    }
    *why = sb_steal(&sb);
    return false;
}
