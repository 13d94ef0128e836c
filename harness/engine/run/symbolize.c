#include "symbolize.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "proc.h"
#include "strvec.h"
#include "text.h"
#include "toolpaths.h"

bool symbolize(const char *exe, CodeLoc *locs, size_t n, char **err)
{
    if (!n)
        return true;
    StrVec argv = STRVEC_INIT;
    strvec_push(&argv, tool_paths.addr2line);
    strvec_push(&argv, "-f"); /* the function */
    strvec_push(&argv, "-C"); /* demangled */
    strvec_push(&argv, "-e");
    strvec_push(&argv, exe);
    for (size_t i = 0; i < n; i++)
        strvec_pushf(&argv, "0x%llx", (unsigned long long)locs[i].addr);
    char *env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
    ProcSpec ps = {.argv = argv.v, .envp = env, .timeout = 30, .keep = 8u << 20, .flood = 64u << 20};
    ProcResult r;
    proc_run(&ps, &r);
    strvec_clear(&argv);
    bool ok = r.status == PROC_EXITED && r.code == 0;
    if (!ok)
        *err = xasprintf("addr2line failed: %s", r.err && *r.err ? trim(r.err) : proc_status_name(r.status));
    /* two lines per address: the function, then file:line */
    const char *pos = r.out, *line;
    size_t len;
    for (size_t i = 0; ok && i < n; i++) {
        char *fn = NULL, *where = NULL;
        if (next_line(&pos, &line, &len))
            fn = xstrndup(line, len);
        if (next_line(&pos, &line, &len))
            where = xstrndup(line, len);
        if (!fn || !where) {
            *err = xstrdup("addr2line said less than it was asked");
            ok = false;
        } else {
            if (strcmp(fn, "??") != 0)
                locs[i].fn = xstrdup(fn);
            char *disc = strstr(where, " (discriminator");
            if (disc)
                *disc = '\0';
            char *colon = strrchr(where, ':');
            if (colon && strncmp(where, "??", 2) != 0) {
                *colon = '\0';
                locs[i].line = atoi(colon + 1);
                locs[i].file = xstrdup(where);
            }
        }
        free(fn);
        free(where);
    }
    proc_result_free(&r);
    return ok;
}
