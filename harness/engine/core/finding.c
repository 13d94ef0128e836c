#include "finding.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "strbuf.h"
#include "text.h"

void sources_add(SourceSet *ss, const char *path)
{
    char *r = real_or_copy(path);
    PUSH(ss->paths, ss->n, ss->cap, r);
}

void sources_free(SourceSet *ss)
{
    for (size_t i = 0; i < ss->n; i++)
        free(ss->paths[i]);
    free(ss->paths);
    memset(ss, 0, sizeof *ss);
}

static bool is_system_path(const char *file)
{
    static const char *const prefixes[] = {"/usr/", "/lib", "./", "../", "<"};
    for (size_t i = 0; i < ARRAY_LEN(prefixes); i++)
        if (starts_with(file, prefixes[i]))
            return true;
    /* an object file instead of a source: a runtime frame without line info */
    if (ends_with(file, ".o"))
        return true;
    return strstr(file, "/sanitizer_common/") || strstr(file, "/tsan/rtl/") || strstr(file, "vg_replace") ||
           strstr(file, "/nptl/") || strstr(file, "/sysdeps/");
}

bool frame_is_user(const Frame *f, const SourceSet *ss)
{
    if (!f->file || !f->file[0] || is_system_path(f->file))
        return false;
    if (f->fn &&
        (starts_with(f->fn, "__tsan") || starts_with(f->fn, "__sanitizer") || starts_with(f->fn, "__interceptor")))
        return false; /* TSan's runtime calling back into the program */
    if (!ss || !ss->n)
        return true;
    char *r = real_or_copy(f->file);
    bool match = false;
    for (size_t i = 0; i < ss->n && !match; i++) {
        /* The exact file; or, for a program built elsewhere (a sandbox
         * sees other paths), the same file name. */
        match = !strcmp(r, ss->paths[i]) || !strcmp(path_base(r), path_base(ss->paths[i]));
    }
    free(r);
    return match;
}

const Frame *stack_user_frame(const Stack *s, const SourceSet *ss)
{
    for (size_t i = 0; i < s->n; i++)
        if (frame_is_user(&s->frames[i], ss))
            return &s->frames[i];
    return NULL;
}

bool loc_next(LocIter *it)
{
    const Finding *f = it->f;
    while (it->next < f->nstacks) {
        const Stack *s = &f->stacks[it->next++];
        if (!s->is_location)
            continue;
        it->index = it->stack ? it->index + 1 : 0;
        it->stack = s;
        it->frame = stack_user_frame(s, it->ss);
        return true;
    }
    return false;
}

size_t finding_nlocations(const Finding *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->nstacks; i++)
        n += f->stacks[i].is_location;
    return n;
}

static bool allocated_by_thread_create(const Finding *f)
{
    for (size_t i = 0; i < f->nstacks; i++)
        for (size_t k = 0; k < f->stacks[i].n; k++)
            if (f->stacks[i].frames[k].fn && starts_with(f->stacks[i].frames[k].fn, "pthread_create"))
                return true;
    return false;
}

Category finding_category(const Finding *f)
{
    Category c = kind_info(f->tool, f->kind).cat;
    if (c == CAT_MEMORY && starts_with(f->kind, "Leak_") && allocated_by_thread_create(f))
        return CAT_THREAD_LEAK;
    return c;
}

Stack *finding_add_stack(Finding *f, const char *title, bool is_location)
{
    Stack s = {0};
    s.title = xstrdup(title ? title : "");
    s.is_location = is_location;
    PUSH(f->stacks, f->nstacks, f->stacks_cap, s);
    return &f->stacks[f->nstacks - 1];
}

void stack_add_frame(Stack *s, const char *fn, const char *file, int line)
{
    Frame fr = {fn ? xstrdup(fn) : NULL, file ? xstrdup(file) : NULL, line};
    PUSH(s->frames, s->n, s->cap, fr);
}

void finding_add_thread(Finding *f, const char *desc)
{
    for (size_t i = 0; i < f->nthreads; i++)
        if (!strcmp(f->threads[i], desc))
            return;
    char *d = xstrdup(desc);
    PUSH(f->threads, f->nthreads, f->threads_cap, d);
}

void stack_free(Stack *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->frames[i].fn);
        free(s->frames[i].file);
    }
    free(s->frames);
    free(s->title);
    memset(s, 0, sizeof *s);
}

void finding_free(Finding *f)
{
    for (size_t i = 0; i < f->nstacks; i++)
        stack_free(&f->stacks[i]);
    free(f->stacks);
    for (size_t i = 0; i < f->nthreads; i++)
        free(f->threads[i]);
    free(f->threads);
    free(f->kind);
    free(f->message);
    free(f->var);
    free(f->unique);
    free(f->detail);
    free(f->replay);
    memset(f, 0, sizeof *f);
}

void report_init(Report *r)
{
    memset(r, 0, sizeof *r);
}

void report_free(Report *r)
{
    for (size_t i = 0; i < r->n; i++)
        finding_free(&r->items[i]);
    free(r->items);
    for (size_t i = 0; i < r->nevidence; i++)
        finding_free(&r->evidence[i]);
    free(r->evidence);
    free(r->incomplete);
    free(r->problem);
    free(r->crash);
    stack_free(&r->crash_stack);
    memset(r, 0, sizeof *r);
}

void report_set_problem(Report *r, const char *fmt, ...)
{
    if (r->problem)
        return; /* the first problem is the one to show */
    va_list ap;
    va_start(ap, fmt);
    r->problem = xvasprintf(fmt, ap);
    va_end(ap);
}

Finding *report_add(Report *r, ToolId tool, const char *kind)
{
    Finding f = {0};
    f.tool = tool;
    f.kind = xstrdup(kind);
    f.count = 1;
    PUSH(r->items, r->n, r->cap, f);
    return &r->items[r->n - 1];
}

Finding *report_add_evidence(Report *r, ToolId tool, const char *kind)
{
    Finding f = {0};
    f.tool = tool;
    f.kind = xstrdup(kind);
    f.count = 1;
    PUSH(r->evidence, r->nevidence, r->evidence_cap, f);
    return &r->evidence[r->nevidence - 1];
}

void report_take_evidence(Report *r, Report *from)
{
    for (size_t i = 0; i < from->nevidence; i++)
        PUSH(r->evidence, r->nevidence, r->evidence_cap, from->evidence[i]);
    free(from->evidence);
    from->evidence = NULL;
    from->nevidence = from->evidence_cap = 0;
    if (!r->incomplete) {
        r->incomplete = from->incomplete;
        from->incomplete = NULL;
    }
}

static void append_key(StrBuf *sb, const Finding *f, const SourceSet *ss)
{
    sb_addf(sb, "%s|%s|%s", tool_name(f->tool), f->kind, f->var ? f->var : "");
    for (LocIter it = LOC_ITER(f, ss); loc_next(&it);) {
        const Frame *fr = it.frame;
        sb_addf(sb, "|%s:%s:%d", fr && fr->fn ? fr->fn : "", fr && fr->file ? path_base(fr->file) : "",
                fr ? fr->line : -1);
    }
}

typedef struct {
    char *key;
    size_t idx;
} Keyed;

static int by_key_then_index(const void *a, const void *b)
{
    const Keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Sorted, not compared pairwise: a program can make a tool print tens of
 * thousands of distinct reports, and a grade must not take quadratic
 * time over them. The first of each kept, in the order they came. */
void report_dedupe(Report *r, const SourceSet *ss)
{
    if (r->n < 2)
        return;
    Keyed *k = xcalloc(r->n, sizeof *k);
    for (size_t i = 0; i < r->n; i++) {
        StrBuf sb = STRBUF_INIT;
        append_key(&sb, &r->items[i], ss);
        k[i] = (Keyed){sb_steal(&sb), i};
    }
    qsort(k, r->n, sizeof *k, by_key_then_index);
    bool *dropped = xcalloc(r->n, sizeof *dropped);
    size_t first = 0; /* the group's first: sorted by index within it */
    for (size_t i = 1; i < r->n; i++) {
        if (strcmp(k[i - 1].key, k[i].key) != 0) {
            first = i;
            continue;
        }
        r->items[k[first].idx].count += r->items[k[i].idx].count;
        dropped[k[i].idx] = true;
    }
    size_t kept = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (dropped[i]) {
            finding_free(&r->items[i]);
            continue;
        }
        if (kept != i)
            r->items[kept] = r->items[i];
        kept++;
    }
    for (size_t i = 0; i < r->n; i++)
        free(k[i].key);
    free(k);
    free(dropped);
    r->n = kept;
}

char *frame_short(const Frame *f)
{
    if (!f)
        return xstrdup("?");
    const char *base = f->file ? path_base(f->file) : "?";
    return f->line > 0 ? xasprintf("%s:%d", base, f->line) : xasprintf("%s:?", base);
}

char *finding_summary(const Finding *f, const SourceSet *ss)
{
    StrBuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s %s", tool_name(f->tool), f->kind);
    if (f->var)
        sb_addf(&sb, " '%s'", f->var);
    /* two places are the two sides of a race; more are a lock cycle */
    const char *sep2 = finding_nlocations(f) == 2 ? " vs " : ", ";
    for (LocIter it = LOC_ITER(f, ss); loc_next(&it);) {
        char *loc = frame_short(it.frame);
        sb_addf(&sb, "%s%s", it.index ? sep2 : " at ", loc);
        free(loc);
    }
    if (f->count > 1)
        sb_addf(&sb, " (x%u)", f->count);
    return sb_steal(&sb);
}

void finding_print(FILE *out, const Finding *f, const SourceSet *ss, const char *indent)
{
    char *sum = finding_summary(f, ss);
    fprintf(out, "%s%s\n", indent, sum);
    free(sum);
    /* The message usually is the first stack's title: said once. A stack
     * with none of the program's frames is not shown, and then neither is
     * its title: the message is, or a finding would say nothing (Helgrind's
     * "Exiting thread still holds 1 lock" has only libc frames). */
    bool first_shown = f->nstacks && stack_user_frame(&f->stacks[0], ss);
    if (f->message && !(first_shown && !strcmp(f->stacks[0].title, f->message)))
        fprintf(out, "%s  %s\n", indent, f->message);
    for (size_t i = 0; i < f->nstacks; i++) {
        const Stack *s = &f->stacks[i];
        bool any = false;
        for (size_t k = 0; k < s->n; k++) {
            const Frame *fr = &s->frames[k];
            if (!frame_is_user(fr, ss))
                continue;
            if (!any)
                fprintf(out, "%s  %s%s\n", indent, s->title, s->title[0] ? ":" : "");
            any = true;
            char *loc = frame_short(fr);
            fprintf(out, "%s    %s %s\n", indent, fr->fn ? fr->fn : "??", loc);
            free(loc);
        }
    }
    if (f->nthreads) {
        fprintf(out, "%s  threads:", indent);
        for (size_t i = 0; i < f->nthreads; i++)
            fprintf(out, "%s %s", i ? "," : "", f->threads[i]);
        fputc('\n', out);
    }
    if (f->replay)
        fprintf(out, "%s  replay: %s\n", indent, f->replay);
    if (f->detail && *f->detail) {
        fprintf(out, "%s  the schedule, last steps:\n", indent);
        const char *pos = f->detail, *line;
        size_t len;
        while (next_line(&pos, &line, &len))
            fprintf(out, "%s    %.*s\n", indent, (int)len, line);
    }
}

void codeloc_free(CodeLoc *locs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(locs[i].fn);
        free(locs[i].file);
    }
}
