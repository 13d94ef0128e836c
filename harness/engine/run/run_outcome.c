/* What a run came to (run.h): its status's name, its default time limit,
 * the first reason it is undecided, and freeing it. Apart from run.c so
 * that the tool-specific readers (run_tsan.c, run_vg.c, run_explore.c)
 * fail a run without calling back into the runner that called them. */
#include "run.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

const char *run_status_name(RunStatus s)
{
    static const char *const n[] = {"ok", "error", "timeout", "deadlock"};
    return (unsigned)s < ARRAY_LEN(n) ? n[s] : "?";
}

double run_default_timeout(ToolId tool)
{
    return tool_is_valgrind(tool) ? 60 : tool == TOOL_TSAN ? 30 : tool == TOOL_EXPLORE ? 10 : 20;
}

void run_outcome_free(RunOutcome *o)
{
    free(o->error);
    free(o->command);
    free(o->tsan_options);
    proc_result_free(&o->proc);
    report_free(&o->report);
    free(o->run_dir);
    free(o->wrong_answer);
    free(o->trace);
    free(o->unbounded);
    free(o->ended);
    memset(o, 0, sizeof *o);
}

void run_fail(RunOutcome *o, RunStatus st, const char *fmt, ...)
{
    if (o->error)
        return;
    va_list ap;
    va_start(ap, fmt);
    o->error = xvasprintf(fmt, ap);
    va_end(ap);
    o->status = st;
}
