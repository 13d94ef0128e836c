/* Valgrind's half of a run: its command line, its XML, its own failures. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "run_internal.h"
#include "strbuf.h"
#include "text.h"
#include "toolpaths.h"
#include "vg_report.h"

/* Valgrind expands %p, %q{VAR} and %% in --log-file and --xml-file: a
 * '%' in the run directory's path is written %%. */
static char *vg_file_arg(const char *opt, const char *run_dir, const char *name)
{
    StrBuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s=", opt);
    for (const char *p = run_dir; *p; p++) {
        if (*p == '%')
            sb_addn(&sb, "%", 1);
        sb_addn(&sb, p, 1);
    }
    sb_addf(&sb, "/%s", name);
    return sb_steal(&sb);
}

void vg_argv(StrVec *v, ToolId tool, const char *run_dir, const RunOptions *opt)
{
    strvec_push(v, tool_paths.valgrind);
    strvec_pushf(v, "--tool=%s", tool_name(tool));
    strvec_push(v, "--xml=yes");
    char *xml = vg_file_arg("--xml-file", run_dir, "valgrind.xml");
    char *log = vg_file_arg("--log-file", run_dir, "valgrind.log");
    strvec_push(v, xml);
    strvec_push(v, log);
    free(xml);
    free(log);
    /* No --error-exitcode: the exit status stays the program's own, and
     * what Valgrind found is read from its XML, never from a status. */
    strvec_push(v, "--num-callers=30");
    strvec_push(v, "--trace-children=no");
    strvec_push(v, "--child-silent-after-fork=yes");
    /* Valgrind runs one thread at a time; without a fair lock a thread
     * spinning on an atomic flag can keep the one that would set it from
     * ever running. "try": fair where the kernel supports it. */
    strvec_push(v, "--fair-sched=try");
    /* no gdbserver: its shared memory and FIFOs in /tmp are a way in (and
     * a waker, to the deadlock check) and are left behind by a kill */
    strvec_push(v, "--vgdb=no");
    if (opt->no_inline_info)
        strvec_push(v, "--read-inline-info=no");
    if (tool == TOOL_MEMCHECK) {
        strvec_push(v, "--leak-check=full");
        strvec_push(v, "--show-leak-kinds=definite,possible");
        strvec_push(v, "--errors-for-leak-kinds=definite,possible");
    }
    for (size_t i = 0; opt->suppressions && i < opt->suppressions->n; i++)
        strvec_pushf(v, "--suppressions=%s", opt->suppressions->v[i]);
    /* the user's, checked against an allow-list (toolopts.h); Valgrind
     * takes the last of a repeated option */
    if (opt->tool_opts)
        strvec_pushv(v, opt->tool_opts->v);
}

/* What Valgrind says about its own failure in its log (and the XML's
 * tail), in words for the user; NULL when it says nothing. */
static char *vg_failure(const char *run_dir, const char *xml)
{
    char *lp = path_join(run_dir, "valgrind.log");
    char *log = read_file(lp, 1u << 20, NULL, NULL);
    free(lp);
    char *why = NULL;
    const char *texts[] = {log, xml};
    for (size_t i = 0; i < 2 && !why; i++) {
        const char *t = texts[i];
        if (!t)
            continue;
        if (strstr(t, "Max number of threads is too low") || strstr(t, "--max-threads=INT")) {
            why = xstrdup(
                "Valgrind's thread limit was reached: the program had more threads alive at once than "
                "Valgrind allows (--max-threads, 500 by default); rerun with "
                "--valgrind-opt=--max-threads=N");
            break;
        }
        const char *imp = strstr(t, "the 'impossible' happened:");
        if (imp) {
            imp += strlen("the 'impossible' happened:");
            while (*imp == ' ' || *imp == '\n')
                imp++;
            why = xasprintf("Valgrind failed internally: %.*s", (int)strcspn(imp, "\n"), imp);
        }
    }
    free(log);
    return why;
}

void vg_read_xml(RunOutcome *o, const SourceSet *ss)
{
    char *p = path_join(o->run_dir, "valgrind.xml");
    size_t len = 0;
    bool cut = false;
    char *xml = read_file(p, REPORT_MAX, &len, &cut);
    if (!xml) {
        char *lp = path_join(o->run_dir, "valgrind.log");
        char *log = read_file(lp, 4096, NULL, NULL);
        report_set_problem(&o->report, "Valgrind wrote no XML report%s%s", log && *log ? ": " : "",
                           log ? trim(log) : "");
        free(log);
        free(lp);
    } else if (cut) {
        report_set_problem(&o->report, "Valgrind XML larger than %u MiB: not read whole", REPORT_MAX >> 20);
    } else {
        vg_parse(xml, len, o->tool, &o->report, ss);
    }
    if (o->report.problem) {
        /* a broken report is better explained by Valgrind's own words */
        char *why = vg_failure(o->run_dir, xml);
        if (why) {
            free(o->report.problem);
            o->report.problem = why;
        }
    }
    free(xml);
    free(p);
}
