#include "json_out.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "utf8.h"

json_t *json_text(const char *s)
{
    if (!s)
        return json_null();
    char *clean = printable_str(s);
    json_t *j = json_string(clean);
    free(clean);
    return j ? j : json_string("?");
}

bool json_write_file(json_t *root, const char *path, char **err)
{
    char *text = json_dumps(root, JSON_INDENT(2));
    if (!text) {
        *err = xasprintf("cannot write %s: JSON encoding failed", path);
        return false;
    }
    char *full = xasprintf("%s\n", text);
    bool ok = write_file_atomic(path, full, strlen(full), err);
    free(full);
    free(text);
    return ok;
}
