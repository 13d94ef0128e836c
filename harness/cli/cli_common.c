/* What the front ends share: the options every command takes, loading
 * the lab's cases, numbers from the command line, usage texts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cli.h"
#include "lab_cases.h"
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
    char *err = NULL;
    CaseSpec *specs = lab_load_cases(root, n, &err);
    if (!specs)
        die("%s", err);
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
