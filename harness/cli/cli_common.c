/* What the front ends share: the options every command takes, loading
 * the lab's cases, numbers from the command line, usage texts. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cli.h"
#include "fs.h"
#include "log.h"
#include "text.h"
#include "toolpaths.h"

void common_init(Common *c)
{
    c->root = lab_root();
    c->work_dir = default_work_dir();
    c->cache_dir = NULL;
}

void common_free(Common *c)
{
    free(c->cache_dir);
}

void common_finish(Common *c)
{
    free(c->cache_dir);
    c->cache_dir = path_join(c->work_dir, "cache");
}

CaseSpec *load_all_cases(const char *root, size_t *n)
{
    char *dir = path_join(root, "cases");
    DIR *d = opendir(dir);
    if (!d)
        die("cannot open %s: is --root the lab's source tree?", dir);
    char **names = NULL;
    size_t nn = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (ends_with(e->d_name, ".c")) {
            char *p = path_join(dir, e->d_name);
            PUSH(names, nn, cap, p);
        }
    closedir(d);
    qsort(names, nn, sizeof(char *), cmp_strptr);
    CaseSpec *specs = xcalloc(nn + 1, sizeof(CaseSpec));
    for (size_t i = 0; i < nn; i++) {
        char *err = NULL;
        if (!spec_load(names[i], &specs[i], &err))
            die("%s", err);
        free(names[i]);
    }
    free(names);
    free(dir);
    *n = nn;
    return specs;
}

long parse_count(const char *s, const char *what, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || end == s || v < lo || v > hi)
        die("%s must be a whole number from %ld to %ld, not '%s'", what, lo, hi, s);
    return v;
}

void print_usage(FILE *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (starts_with(p, "@ROOT@")) {
            fputs(lab_root(), out);
            p += 5;
        } else if (starts_with(p, "@WORK@")) {
            fputs(default_work_dir(), out);
            p += 5;
        } else {
            fputc(*p, out);
        }
    }
}
