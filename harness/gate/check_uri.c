/* The URIs SARIF and the JSON report give a finding's files: relative
 * to the source root (%SRCROOT%), or file:// for a file outside it. A
 * helper of the writers, apart from the run (check.c): it reads a
 * CheckRun's sources and options, and calls nothing of the gate. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "check.h"
#include "fs.h"
#include "text.h"

/* RFC 3986: everything but unreserved characters and '/' is %-encoded. */
static char *uri_escape(const char *s)
{
    return percent_encode(s, "-._~/");
}

char *check_uri(const CheckRun *r, const char *file, bool *relative)
{
    char *real = real_or_copy(file);
    /* A frame in one of the program's sources names that file, even when
     * the binary was built elsewhere (a sandbox sees other paths). */
    for (size_t i = 0; i < r->ss.n; i++) {
        if (!strcmp(real, r->ss.paths[i]) || !strcmp(path_base(real), path_base(r->ss.paths[i]))) {
            free(real);
            real = xstrdup(r->ss.paths[i]);
            break;
        }
    }
    const char *root = r->opt->source_root;
    size_t rl = strlen(root);
    while (rl > 1 && root[rl - 1] == '/')
        rl--;
    char *uri;
    *relative = true;
    if (real[0] != '/')
        uri = uri_escape(starts_with(real, "./") ? real + 2 : real);
    else if (rl == 1 && root[0] == '/')
        uri = uri_escape(real + 1);
    else if (!strncmp(real, root, rl) && real[rl] == '/')
        uri = uri_escape(real + rl + 1);
    else {
        char *esc = uri_escape(real);
        uri = xasprintf("file://%s", esc);
        free(esc);
        *relative = false;
    }
    free(real);
    return uri;
}

char *check_root_uri(const CheckRun *r)
{
    char *esc = uri_escape(r->opt->source_root);
    char *uri = xasprintf("file://%s%s", esc, ends_with(esc, "/") ? "" : "/");
    free(esc);
    return uri;
}
