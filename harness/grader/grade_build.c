/* The compile check (the compilers' words, with the student's file name)
 * and the symbols the built program defines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "grade_internal.h"
#include "log.h"
#include "proc.h"
#include "scan.h"
#include "toolpaths.h"
#include "utf8.h"

/* ---- compiling ---- */

/* The compiler's log with the scratch path written as the student's name. */
static void add_log(Grader *G, StrBuf *out, const char *log, const char *compiler)
{
    int lines = 0;
    for (const char *p = log; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char *ln = xstrndup(p, len);
        if (lines++ < SHOWN_LOG_LINES) {
            StrBuf l = STRBUF_INIT;
            for (char *q = ln; *q;) {
                char *hit = strstr(q, G->src);
                if (!hit) {
                    sb_add(&l, q);
                    break;
                }
                sb_addn(&l, q, (size_t)(hit - q));
                sb_add(&l, G->sub->display);
                q = hit + strlen(G->src);
            }
            char *pr = printable(l.buf ? l.buf : "", l.len);
            sb_addf(out, "    %s\n", pr);
            free(pr);
            sb_free(&l);
        }
        free(ln);
        p = eol ? eol + 1 : NULL;
    }
    if (lines > SHOWN_LOG_LINES)
        sb_addf(out, "    ... (%d more lines from %s)\n", lines - SHOWN_LOG_LINES, compiler);
}

static int count_warnings(const char *log)
{
    int n = 0;
    for (const char *p = log ? strstr(log, "warning:") : NULL; p; p = strstr(p + 1, "warning:"))
        n++;
    return n;
}

void judge_build(Grader *G, const BuildResult *b, const char *compiler)
{
    GradeItem *c = item(G, ITEM_COMPILE);
    if (!b->ok) {
        sb_addf(&c->detail, "  %s says:\n", compiler);
        add_log(G, &c->detail, b->log, compiler);
        set_item(G, ITEM_COMPILE, IS_FAILED, "does not compile with %s", compiler);
        return;
    }
    /* clang mostly repeats gcc's warnings: its own are shown when gcc had none */
    int w = count_warnings(b->log);
    if (w && !G->warnings) {
        sb_addf(&c->detail, "  %s: %d warning%s (not fatal, but read them: they often point at the bug):\n", compiler,
                w, w == 1 ? "" : "s");
        add_log(G, &c->detail, b->log, compiler);
        G->warnings = w;
    }
    if (c->status == IS_FAILED)
        return;
    if (G->warnings)
        set_item(G, ITEM_COMPILE, IS_PASSED, "compiles, with %d warning%s (not fatal)", G->warnings,
                 G->warnings == 1 ? "" : "s");
    else
        set_item(G, ITEM_COMPILE, IS_PASSED, "compiles without warnings");
}

/* ---- symbols ---- */

void scan_symbols(Grader *G)
{
    StrVec argv = STRVEC_INIT;
    strvec_pushv(&argv, G->build_wrap);
    strvec_push(&argv, tool_paths.nm);
    strvec_push(&argv, "-P");
    strvec_push(&argv, "--defined-only");
    strvec_push(&argv, G->native_exe);
    char *env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
    ProcSpec ps = {.argv = argv.v, .envp = env, .timeout = 30, .keep = 8u << 20, .flood = 64u << 20};
    ProcResult r;
    proc_run(&ps, &r);
    if (r.status == PROC_EXITED && r.code == 0)
        scan_symbols_text(r.out, &G->g->cheats);
    else
        warnf("nm failed on %s: %s", G->native_exe, r.err ? r.err : proc_status_name(r.status));
    proc_result_free(&r);
    strvec_clear(&argv);
}
