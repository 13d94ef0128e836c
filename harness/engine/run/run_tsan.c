/* TSan's half of a run: TSAN_OPTIONS, and reading one log per process. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "run_internal.h"
#include "strbuf.h"
#include "text.h"
#include "tsan_report.h"

/* TSan splits TSAN_OPTIONS on blanks, ',' and ':' unless a value is
 * quoted with ' or " (no escapes inside): a path with a space or a colon
 * must be quoted, and one holding both quote characters cannot be given. */
static bool add_path(StrBuf *sb, const char *name, const char *path, char **err)
{
    char q = !strchr(path, '"') ? '"' : !strchr(path, '\'') ? '\'' : 0;
    if (!q) {
        *err = xasprintf(
            "TSan cannot be given the path %s (for %s): it holds both ' and \", which TSAN_OPTIONS "
            "cannot quote; use another directory",
            path, name);
        return false;
    }
    sb_addf(sb, "%s%s=%c%s%c", sb->len ? ":" : "", name, q, path, q);
    return true;
}

char *tsan_options_value(const char *run_dir, const RunOptions *opt, char **err)
{
    StrBuf sb = STRBUF_INIT;
    char *log = path_join(run_dir, "tsan");
    bool ok = add_path(&sb, "log_path", log, err);
    free(log);
    /* Every option that changes what is reported is set here, so a
     * program's own __tsan_default_options() cannot turn reports off.
     * exitcode=66 (TSan's own): a process TSan ends after its reports, a
     * forked child included, fails as it would without racelab's options
     * (exitcode=0 made such a child succeed, and its parent believed it);
     * what TSan found is read from its logs, never from a status. */
    sb_addf(&sb,
           ":exitcode=%d:", TSAN_EXIT_CODE);
    sb_add(&sb,
           "halt_on_error=0:atexit_sleep_ms=0:report_bugs=1:"
           "report_thread_leaks=1:report_destroy_locked=1:report_mutex_bugs=1:report_signal_unsafe=1:"
           "detect_deadlocks=1:second_deadlock_stack=1:history_size=4:print_suppressions=0:"
           "ignore_noninstrumented_modules=0:verbosity=0:log_exe_name=0:abort_on_error=0");
    for (size_t i = 0; ok && opt->suppressions && i < opt->suppressions->n; i++)
        ok = add_path(&sb, "suppressions", opt->suppressions->v[i], err);
    /* the user's, checked against an allow-list (toolopts.h): later
     * options win in TSan, so these can tune but were chosen not to hide */
    for (size_t i = 0; opt->tool_opts && i < opt->tool_opts->n; i++)
        sb_addf(&sb, ":%s", opt->tool_opts->v[i]);
    if (!ok) {
        sb_free(&sb);
        return NULL;
    }
    return sb_steal(&sb);
}

/* TSan opens log_path only after mapping its shadow memory, and reports
 * on stderr what stops it before (or when it cannot open its log). Only
 * those lines are taken: the program's own stderr must not make findings. */
static void read_early_failure(RunOutcome *o, const SourceSet *ss)
{
    if (!o->proc.err)
        return;
    Report early;
    report_init(&early);
    if (strstr(o->proc.err, "ThreadSanitizer"))
        tsan_parse(o->proc.err, o->proc.errlen, &early, ss);
    if (early.problem) {
        report_set_problem(&o->report, "%s", early.problem);
    } else {
        const char *cant = strstr(o->proc.err, "ERROR: Can't open file: ");
        if (cant) {
            size_t len = strcspn(cant, "\n");
            report_set_problem(&o->report, "TSan could not write its log: %.*s", (int)len, cant);
        }
    }
    report_free(&early);
}

void tsan_read_logs(RunOutcome *o, const SourceSet *ss)
{
    DIR *d = opendir(o->run_dir);
    if (!d) {
        report_set_problem(&o->report, "cannot read %s: %s", o->run_dir, strerror(errno));
        return;
    }
    struct dirent *e;
    /* One log per process (log_path.PID): each is read as that process's,
     * then their counters are checked together (a forked child's counter
     * starts at its parent's). */
    TsanLogCounts *counts = NULL;
    char **names = NULL;
    size_t n = 0, cap = 0, ncap = 0, nn = 0;
    bool empty = false;
    while ((e = readdir(d))) {
        if (!starts_with(e->d_name, "tsan."))
            continue;
        char *p = path_join(o->run_dir, e->d_name);
        size_t len = 0;
        bool cut = false;
        char *text = read_file(p, REPORT_MAX, &len, &cut);
        if (text) {
            char *name = xstrdup(e->d_name);
            PUSH(names, nn, ncap, name);
            TsanLogCounts c = {name, -1, 0};
            tsan_parse_log(text, len, &o->report, ss, &c);
            PUSH(counts, n, cap, c);
            /* TSan creates its log to write a report in it */
            empty = empty || len == 0;
            if (cut)
                report_set_problem(&o->report, "TSan log larger than %u MiB: not read whole", REPORT_MAX >> 20);
        }
        free(text);
        free(p);
    }
    closedir(d);
    /* a full disk: TSan dies without its report; said, not blamed on the program */
    if (fs_nearly_full(o->run_dir))
        report_set_problem(&o->report, "no space left on the device of %s: TSan cannot write its report", o->run_dir);
    if (empty)
        report_set_problem(&o->report, "a TSan log is empty: TSan could not write its report");
    tsan_check_counts(counts, n, &o->report);
    free(counts);
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    read_early_failure(o, ss);
}
