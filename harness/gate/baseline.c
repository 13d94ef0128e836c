#include "baseline.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "json_out.h"
#include "strbuf.h"
#include "text.h"

#define BASELINE_VERSION 1

/* "fn@file.c" of a location: its top user frame, or, when the program's
 * own code is not on the stack, the top frame that has a function. */
static char *location_name(const Stack *s, const SourceSet *ss)
{
    const Frame *f = stack_user_frame(s, ss);
    for (size_t i = 0; !f && i < s->n; i++)
        if (s->frames[i].fn)
            f = &s->frames[i];
    if (!f)
        return xstrdup("?");
    return xasprintf("%s@%s", f->fn ? f->fn : "?", f->file ? path_base(f->file) : "?");
}

char *fingerprint_key(const Finding *f, const SourceSet *ss)
{
    char **locs = xcalloc(f->nstacks + 1, sizeof(char *));
    size_t n = 0;
    for (LocIter it = LOC_ITER(f, ss); loc_next(&it);)
        locs[n++] = location_name(it.stack, ss);
    /* Which of two racing accesses a tool calls "previous" depends on the
     * schedule: the order of the locations must not matter. */
    qsort(locs, n, sizeof(char *), cmp_strptr);
    StrBuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s/%s|%s", tool_name(f->tool), f->kind, f->var ? f->var : "");
    for (size_t i = 0; i < n; i++) {
        sb_addf(&sb, "|%s", locs[i]);
        free(locs[i]);
    }
    free(locs);
    return sb_steal(&sb);
}

char *fingerprint_of_key(const char *key)
{
    return xasprintf("%016llx", (unsigned long long)fnv1a(key, strlen(key), FNV_INIT));
}

void baseline_free(Baseline *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->items[i].fingerprint);
        free(b->items[i].key);
        free(b->items[i].tool);
        free(b->items[i].summary);
    }
    free(b->items);
    memset(b, 0, sizeof *b);
}

static BaselineEntry *find(Baseline *b, const char *fp)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->items[i].fingerprint, fp))
            return &b->items[i];
    return NULL;
}

void baseline_add(Baseline *b, const char *fp, const char *key, const char *tool, const char *summary)
{
    BaselineEntry *e = find(b, fp);
    if (e) {
        e->count++;
        return;
    }
    BaselineEntry ne = {
        xstrdup(fp), xstrdup(key ? key : ""), xstrdup(tool ? tool : ""), xstrdup(summary ? summary : ""), 1, 0};
    PUSH(b->items, b->n, b->cap, ne);
}

bool baseline_take(Baseline *b, const char *fp)
{
    BaselineEntry *e = find(b, fp);
    if (!e || e->seen >= e->count)
        return false;
    e->seen++;
    return true;
}

static const char *str_member(json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

bool baseline_load(const char *path, Baseline *b, char **err)
{
    memset(b, 0, sizeof *b);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        *err = xasprintf("%s:%d: %s", path, je.line, je.text);
        return false;
    }
    json_t *ver = json_object_get(root, "racelab_baseline");
    json_t *items = json_object_get(root, "findings");
    if (!json_is_integer(ver) || json_integer_value(ver) != BASELINE_VERSION || !json_is_array(items)) {
        *err = xasprintf(
            "%s: not a racelab baseline (version %d): want {\"racelab_baseline\": %d, "
            "\"findings\": [...]}",
            path, BASELINE_VERSION, BASELINE_VERSION);
        json_decref(root);
        return false;
    }
    size_t i;
    json_t *it;
    json_array_foreach (items, i, it) {
        const char *fp = str_member(it, "fingerprint");
        json_t *count = json_object_get(it, "count");
        if (!fp || (count && (!json_is_integer(count) || json_integer_value(count) < 1))) {
            *err =
                xasprintf("%s: finding %zu needs a \"fingerprint\" string and a \"count\" of at least 1", path, i + 1);
            json_decref(root);
            baseline_free(b);
            return false;
        }
        baseline_add(b, fp, str_member(it, "key"), str_member(it, "tool"), str_member(it, "summary"));
        b->items[b->n - 1].count = count ? (unsigned)json_integer_value(count) : 1;
    }
    json_decref(root);
    return true;
}

static int cmp_entry(const void *a, const void *b)
{
    const BaselineEntry *x = a, *y = b;
    int c = strcmp(x->tool, y->tool);
    return c ? c : strcmp(x->key, y->key);
}

bool baseline_save(const Baseline *b, const char *path, char **err)
{
    /* Sorted, so that a re-generated baseline diffs cleanly in review. */
    BaselineEntry *sorted = xcalloc(b->n + 1, sizeof *sorted);
    if (b->n)
        memcpy(sorted, b->items, b->n * sizeof *sorted);
    qsort(sorted, b->n, sizeof *sorted, cmp_entry);
    json_t *items = json_array();
    for (size_t i = 0; i < b->n; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "fingerprint", json_text(sorted[i].fingerprint));
        json_object_set_new(e, "tool", json_text(sorted[i].tool));
        json_object_set_new(e, "count", json_integer(sorted[i].count));
        json_object_set_new(e, "key", json_text(sorted[i].key));
        json_object_set_new(e, "summary", json_text(sorted[i].summary));
        json_array_append_new(items, e);
    }
    free(sorted);
    json_t *root = json_object();
    json_object_set_new(root, "racelab_baseline", json_integer(BASELINE_VERSION));
    json_object_set_new(root, "findings", items);
    bool ok = json_write_file(root, path, err);
    json_decref(root);
    return ok;
}
