/* Findings told to the student, for any item that has them (a detector's,
 * explore's): each with the lines of their file it names, then what each
 * category means and a hint, once per grade. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "feedback.h"
#include "grade_internal.h"
#include "text.h"
#include "utf8.h"

const char *tool_title(ToolId t)
{
    static const char *const n[TOOL_COUNT] = {"TSan", "Helgrind", "DRD", "memcheck", "explore", "native"};
    return n[t];
}

char *source_line(const GradeEnv *env, int line)
{
    const char *p = "";
    size_t len = 0;
    if (line < 1 || !text_line(env->sub->text, env->sub->len, line, &p, &len))
        p = "", len = 0;
    while (len && (*p == ' ' || *p == '\t'))
        p++, len--;
    return printable(p, len > 120 ? 120 : len);
}

void describe_finding(const GradeEnv *env, const Finding *f, StrBuf *out)
{
    sb_addf(out, "  %s: %s", tool_title(f->tool), kind_info(f->tool, f->kind).phrase);
    if (f->var) {
        char *v = printable_str(f->var);
        sb_addf(out, " on '%s'", v);
        free(v);
    }
    int *lines = xcalloc(finding_nlocations(f) + 1, sizeof(int));
    size_t nl = 0, shown = 0;
    for (LocIter it = LOC_ITER(f, &env->ss); loc_next(&it);) {
        const Frame *fr = it.frame;
        if (!fr)
            continue;
        if (fr->line > 0)
            sb_addf(out, "%sline %d", shown ? " vs " : " at ", fr->line);
        else
            sb_addf(out, "%san unknown line", shown ? " vs " : " at ");
        if (fr->fn) {
            char *fn = printable_str(fr->fn);
            sb_addf(out, " (in %s)", fn);
            free(fn);
        }
        shown++;
        bool dup = false;
        for (size_t k = 0; k < nl; k++)
            dup = dup || lines[k] == fr->line;
        if (!dup && fr->line > 0)
            lines[nl++] = fr->line;
    }
    if (!shown && f->message) {
        char *m = student_text(env, f->message);
        sb_addf(out, f->tool == TOOL_EXPLORE ? " (%s)" : " (%s; no line of your file in its stacks)", m);
        free(m);
    }
    sb_add(out, "\n");
    for (size_t k = 0; k < nl; k++) {
        char *t = source_line(env, lines[k]);
        sb_addf(out, "      %4d | %s\n", lines[k], t);
        free(t);
    }
    free(lines);
}

void describe_report(const GradeEnv *env, const Report *rep, StrBuf *out, const char *item_name, const bool *skip,
                     Explained *ex)
{
    size_t shown = 0, counted = 0;
    for (size_t i = 0; i < rep->n; i++) {
        if (skip && skip[i])
            continue;
        counted++;
        if (shown < SHOWN_FINDINGS)
            describe_finding(env, &rep->items[i], out), shown++;
    }
    if (counted > shown)
        sb_addf(out, "  ... and %zu more\n", counted - shown);
    /* what each category among them means, and a hint: once per grade; a
     * later item points back to the first */
    bool here[CAT_COUNT] = {false};
    for (size_t i = 0; i < rep->n; i++) {
        if (skip && skip[i])
            continue;
        Category c = finding_category(&rep->items[i]);
        if (here[c])
            continue;
        here[c] = true;
        if (ex->by[c]) {
            if (strcmp(ex->by[c], item_name) != 0)
                sb_addf(out, "  What it means, and a hint: as under '%s'.\n", ex->by[c]);
            continue;
        }
        ex->by[c] = item_name;
        sb_addf(out, "  What it means: %s\n", feedback_explain(c));
        sb_addf(out, "  Hint: %s\n", feedback_hint(env->o->spec->klass, c));
    }
}
