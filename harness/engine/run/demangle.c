#include "demangle.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "proc.h"
#include "strvec.h"
#include "text.h"
#include "toolpaths.h"

static bool mangled(const char *s)
{
    return s && starts_with(s, "_Z");
}

/* Replaces *name by its demangled form: c++filt printed one line per name,
 * in the order they were given. */
static void take(char **name, const StrVec *asked, char **lines, size_t nlines)
{
    for (size_t i = 0; i < asked->n && i < nlines; i++) {
        if (mangled(*name) && !strcmp(*name, asked->v[i])) {
            free(*name);
            *name = xstrdup(lines[i]);
            return;
        }
    }
}

void report_demangle(Report *r)
{
    StrVec names = STRVEC_INIT;
    for (size_t i = 0; i < r->n; i++) {
        Finding *f = &r->items[i];
        if (mangled(f->var))
            strvec_push(&names, f->var);
        for (size_t s = 0; s < f->nstacks; s++)
            for (size_t k = 0; k < f->stacks[s].n; k++)
                if (mangled(f->stacks[s].frames[k].fn))
                    strvec_push(&names, f->stacks[s].frames[k].fn);
    }
    if (!names.n)
        return;
    StrVec argv = STRVEC_INIT;
    strvec_push(&argv, tool_paths.cxxfilt);
    strvec_pushv(&argv, names.v);
    char *env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
    ProcSpec ps = {.argv = argv.v, .envp = env, .timeout = 30, .keep = 16u << 20, .flood = 64u << 20};
    ProcResult pr;
    proc_run(&ps, &pr);
    if (pr.status == PROC_EXITED && pr.code == 0 && pr.out) {
        StrVec lines = STRVEC_INIT;
        const char *pos = pr.out, *line;
        size_t len;
        while (next_line(&pos, &line, &len)) {
            char *l = xstrndup(line, len);
            strvec_push(&lines, l);
            free(l);
        }
        for (size_t i = 0; i < r->n; i++) {
            Finding *f = &r->items[i];
            take(&f->var, &names, lines.v, lines.n);
            for (size_t s = 0; s < f->nstacks; s++)
                for (size_t k = 0; k < f->stacks[s].n; k++)
                    take(&f->stacks[s].frames[k].fn, &names, lines.v, lines.n);
        }
        strvec_clear(&lines);
    }
    proc_result_free(&pr);
    strvec_clear(&argv);
    strvec_clear(&names);
}
