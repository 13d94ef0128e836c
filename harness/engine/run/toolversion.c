#include "toolversion.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "proc.h"
#include "strbuf.h"
#include "text.h"
#include "toolpaths.h"

#ifndef RACELAB_VERSION
#error "RACELAB_VERSION is set by harness/CMakeLists.txt"
#endif

const char *racelab_version(void)
{
    return RACELAB_VERSION;
}

char *semver_of(const char *s)
{
    long part[3] = {0, 0, 0};
    int n = 0;
    const char *p = s;
    while (n < 3 && isdigit((unsigned char)*p)) {
        char *end;
        part[n++] = strtol(p, &end, 10);
        p = end;
        if (*p != '.')
            break;
        p++;
    }
    if (!n)
        return NULL;
    return xasprintf("%ld.%ld.%ld", part[0], part[1], part[2]);
}

/* The first line a command prints, trimmed; NULL if it failed. */
static char *first_line(char *const argv[])
{
    static char *const env[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", NULL};
    ProcSpec ps = {.argv = argv, .envp = env, .timeout = 30, .keep = 4096, .flood = 1 << 20};
    ProcResult pr;
    proc_run(&ps, &pr);
    char *line = NULL;
    if (pr.status == PROC_EXITED && pr.code == 0 && pr.out) {
        pr.out[strcspn(pr.out, "\n")] = '\0';
        line = xstrdup(trim(pr.out));
    }
    proc_result_free(&pr);
    return line;
}

ToolVersion tool_version(ToolId tool)
{
    static char *versions[TOOL_COUNT], *semvers[TOOL_COUNT];
    if ((unsigned)tool >= TOOL_COUNT)
        return (ToolVersion){"unknown", "0.0.0-unknown"};
    if (!versions[tool]) {
        char *v = NULL;
        if (tool == TOOL_TSAN) {
            /* TSan is the runtime of the clang that built the program */
            char *argv[] = {(char *)tool_paths.clang, "-dumpversion", NULL};
            v = first_line(argv);
        } else if (tool_is_valgrind(tool)) {
            char *argv[] = {(char *)tool_paths.valgrind, "--version", NULL};
            v = first_line(argv);
            if (v && starts_with(v, "valgrind-"))
                memmove(v, v + strlen("valgrind-"), strlen(v) - strlen("valgrind-") + 1);
        } else {
            v = xstrdup(racelab_version());
        }
        if (v && !*v) {
            free(v);
            v = NULL;
        }
        char *sv = v ? semver_of(v) : NULL;
        versions[tool] = v ? v : xstrdup("unknown");
        semvers[tool] = sv ? sv : xstrdup("0.0.0-unknown");
    }
    return (ToolVersion){versions[tool], semvers[tool]};
}
