#include "tsan_report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"
#include "text.h"

#define SEPARATOR "=================="
#define WARNING "WARNING: ThreadSanitizer: "
#define TOO_LONG_CYCLE "WARNING: too long mutex cycle found"

char *without_addresses(const char *s)
{
    StrBuf sb = STRBUF_INIT;
    for (const char *p = s; *p;) {
        if (starts_with(p, "tid=")) { /* "(tid=6883, running)": an OS thread id */
            const char *q = p + 4;
            while (isdigit((unsigned char)*q))
                q++;
            if (q[0] == ',' && q[1] == ' ') {
                p = q + 2;
                continue;
            }
        }
        if (p[0] == '0' && p[1] == 'x' && isxdigit((unsigned char)p[2])) {
            sb_add(&sb, "0x...");
            p += 2;
            while (isxdigit((unsigned char)*p))
                p++;
            continue;
        }
        sb_addn(&sb, p++, 1);
    }
    return sb_steal(&sb);
}

/* "data race (pid=12)" -> "data race" */
static char *without_pid(const char *title)
{
    const char *pid = strstr(title, " (pid=");
    return xstrndup(title, pid ? (size_t)(pid - title) : strlen(title));
}

/* "data race (pid=12)" -> "data-race"; "lock-order-inversion (potential
 * deadlock)" -> "lock-order-inversion" */
static char *kind_of(const char *title)
{
    const char *paren = strstr(title, " (");
    char *k = xstrndup(title, paren ? (size_t)(paren - title) : strlen(title));
    for (char *p = k; *p; p++)
        if (*p == ' ')
            *p = '-';
    return k;
}

/* Where the function name ends in "fn loc": C++ names hold spaces
 * ("f(int, char) const"), and so may paths. The location is the first
 * " /" (an absolute path) outside the name's parentheses; else the first
 * blank outside them. */
static const char *function_end(const char *p, const char *end)
{
    int depth = 0;
    const char *blank = NULL;
    for (const char *q = p; q < end; q++) {
        if (*q == '(')
            depth++;
        else if (*q == ')' && depth > 0)
            depth--;
        else if (*q == ' ' && depth == 0) {
            if (q + 1 < end && q[1] == '/')
                return q;
            if (!blank)
                blank = q;
        }
    }
    return blank;
}

/* "    #1 main /src/a.c:16:33 (bin+0x1) (BuildId: ..)", or with C++ names
 * "#2 ns::f(int, bool) obj.cpp.o (bin+0x2)"; the location is "<null>"
 * when TSan knows none. */
static void parse_frame(Stack *s, const char *line)
{
    const char *p = strchr(line, '#');
    while (*p && *p != ' ')
        p++;
    while (*p == ' ')
        p++;
    const char *end = p + strlen(p);
    const char *fn_end = function_end(p, end);
    if (!fn_end) {
        char *fn = xstrndup(p, (size_t)(end - p));
        stack_add_frame(s, fn, NULL, 0);
        free(fn);
        return;
    }
    char *fn = xstrndup(p, (size_t)(fn_end - p));
    /* the location ends where "(module+0x..)" starts, cut off or not */
    const char *loc_start = fn_end + 1, *loc_end = strstr(loc_start, " (");
    char *loc = xstrndup(loc_start, loc_end ? (size_t)(loc_end - loc_start) : strlen(loc_start));
    int line_no = 0;
    if (strcmp(loc, "<null>") != 0) {
        /* file[:line[:col]] from the right */
        for (int part = 0; part < 2; part++) {
            char *colon = strrchr(loc, ':');
            if (!colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
                break;
            line_no = atoi(colon + 1);
            *colon = '\0';
        }
        stack_add_frame(s, fn, loc, line_no);
    } else {
        stack_add_frame(s, fn, NULL, 0);
    }
    free(fn);
    free(loc);
}

static bool is_context_stack(const char *title, const char *kind)
{
    if (starts_with(title, "Thread "))
        return strcmp(kind, "thread-leak") != 0;
    if (starts_with(title, "Location is") || starts_with(title, "As if synchronized via sleep"))
        return true; /* where the object lives; the sleep TSan saw: not sides of the bug */
    if (starts_with(title, "Mutex ") && ends_with(title, "created at"))
        return true;
    return false;
}

/* "Location is global 'counter' of size 4 at 0x.." names the variable.
 * Memory on a stack reads "Location is stack of main thread." and then
 * "Location is global '??' at 0x.. ([stack]+0x..)": no name, and '??' is
 * never one (it would go into the baseline fingerprint). */
static void take_variable(Finding *f, const char *line)
{
    const char *q = strstr(line, "global '");
    if (!q)
        return;
    q += strlen("global '");
    const char *e = strchr(q, '\'');
    if (!e || e == q || f->var || strspn(q, "?") == (size_t)(e - q))
        return;
    f->var = xstrndup(q, (size_t)(e - q));
}

/* The title of a stack TSan prints without one. Its first stack (a mutex
 * misuse, a signal handler's call) is where the bug happened; after an
 * "and:" comes a second stack: for a destroyed locked mutex, where it was
 * last locked. */
static char *untitled_stack_title(const Finding *f, const char *head, bool after_and)
{
    if (!after_and)
        return xstrdup(head);
    if (!strcmp(f->kind, "destroy-of-a-locked-mutex"))
        return xstrdup("Mutex last locked at");
    return xstrdup("And at");
}

/* "Thread T2 (tid=2035, running) created by main thread at" -> "T2" */
static void take_thread(Finding *f, const char *title, const Stack *s, const SourceSet *ss)
{
    const char *t = title + strlen("Thread ");
    const char *sp = strchr(t, ' ');
    char *name = xstrndup(t, sp ? (size_t)(sp - t) : strlen(t));
    char *where = frame_short(stack_user_frame(s, ss));
    char *desc = xasprintf("%s (created at %s)", name, where);
    finding_add_thread(f, desc);
    free(desc);
    free(where);
    free(name);
}

/* Where tsan_parse_log is in a log. */
typedef struct {
    Report *r;
    Finding *cur;
    Stack *stack;
    Stack *crash;
    char *head;     /* the current warning's text, without its pid */
    bool after_and; /* an "and:" line: the next stack is a second one */
    bool closed;
    long blocks, announced;
} TsanLog;

/* A stack and the warning it belongs to end. */
static void end_warning_part(TsanLog *g)
{
    g->cur = NULL;
    g->stack = NULL;
    g->crash = NULL;
}

/* TSan's own failure: it failed a CHECK, or could not start. */
static bool take_failure(TsanLog *g, char *line)
{
    if (!strstr(line, "ThreadSanitizer: CHECK failed") && !strstr(line, "FATAL: ThreadSanitizer") &&
        !strstr(line, "ThreadSanitizer: failed") && !strstr(line, "ThreadSanitizer: ran out"))
        return false;
    if (strstr(line, "unexpected memory mapping")) {
        report_set_problem(g->r,
                           "TSan could not start: %s (the kernel's vm.mmap_rnd_bits is too "
                           "high for this TSan: run `sudo sysctl vm.mmap_rnd_bits=28`; "
                           "google/sanitizers#1716)",
                           trim(line));
    } else {
        char *msg = trim(line), *tid = strstr(msg, " (tid=");
        if (tid)
            *tid = '\0'; /* the OS thread id changes from run to run */
        report_set_problem(g->r, "TSan failed internally: %s", msg);
    }
    return true;
}

/* The lines that frame warnings: a crash, the separators, a warning's
 * first line and its SUMMARY, the count at the end. */
static bool take_frame_line(TsanLog *g, char *line)
{
    if (strstr(line, "ThreadSanitizer:DEADLYSIGNAL"))
        return true;
    if (strstr(line, "ERROR: ThreadSanitizer: ") && !strstr(line, "WARNING")) {
        /* "==12==ERROR: ThreadSanitizer: SEGV on unknown address ..." */
        char *msg = without_addresses(strstr(line, "ThreadSanitizer: ") + strlen("ThreadSanitizer: "));
        if (!g->r->crash)
            g->r->crash = msg;
        else
            free(msg);
        g->crash = &g->r->crash_stack;
        g->cur = NULL;
        g->stack = NULL;
        return true;
    }
    if (!strcmp(line, SEPARATOR)) {
        end_warning_part(g);
        return true;
    }
    if (!strcmp(trim(line), TOO_LONG_CYCLE)) {
        /* The deadlock detector found a cycle of more locks than it keeps
         * a path for: one line, no lock, no stack, and not counted in
         * "reported N warnings". Still a lock-order cycle. */
        Finding *f = report_add(g->r, TOOL_TSAN, "too-long-mutex-cycle");
        f->message = xstrdup(
            "TSan found a lock-order cycle through more locks than it can print (over 20): it names no "
            "lock and no line, so this finding has no location");
        return true;
    }
    if (starts_with(line, WARNING)) {
        if (!g->closed)
            report_set_problem(g->r, "TSan report is garbled (a warning starts inside another)");
        g->closed = false;
        free(g->head);
        g->head = without_pid(line + strlen(WARNING));
        char *kind = kind_of(g->head);
        g->cur = report_add(g->r, TOOL_TSAN, kind);
        free(kind);
        g->blocks++;
        g->stack = NULL;
        g->crash = NULL;
        g->after_and = false;
        return true;
    }
    if (starts_with(line, "SUMMARY: ThreadSanitizer:")) {
        g->closed = true;
        end_warning_part(g);
        return true;
    }
    if (starts_with(line, "ThreadSanitizer: reported ")) {
        g->announced = atol(line + strlen("ThreadSanitizer: reported "));
        return true;
    }
    return false;
}

/* A frame line "#0 ..." (trimmed): into the current stack, or the crash's. */
static void take_frame(TsanLog *g, const char *t)
{
    if (!g->stack && g->cur) {
        /* A stack with no title line: the report's own (a mutex misuse, a
         * call in a signal handler) or one after "and:". */
        char *title = untitled_stack_title(g->cur, g->head, g->after_and);
        g->stack = finding_add_stack(g->cur, title, !g->after_and);
        if (!g->cur->message && !g->after_and)
            g->cur->message = xstrdup(title);
        free(title);
        g->after_and = false;
    }
    if (g->stack)
        parse_frame(g->stack, t);
    else if (g->crash)
        parse_frame(g->crash, t);
}

/* A line inside a warning (trimmed): a stack's title, the variable, the
 * cycle's message, or a line that ends a stack. */
static void take_warning_line(TsanLog *g, char *t)
{
    Finding *cur = g->cur;
    if (!strcmp(t, "and:")) {
        g->after_and = true; /* a separator, not a title */
        g->stack = NULL;
        return;
    }
    if (starts_with(t, "Location is"))
        take_variable(cur, t);
    if (starts_with(t, "Location is stack of ")) {
        g->stack = NULL;
        return;
    }
    if (ends_with(t, ":")) {
        t[strlen(t) - 1] = '\0';
        char *title = without_addresses(t);
        g->stack = finding_add_stack(cur, title, !is_context_stack(title, cur->kind));
        if (!cur->message && g->stack->is_location)
            cur->message = xstrdup(title);
        free(title);
    } else if (starts_with(t, "Cycle in lock order graph")) {
        free(cur->message);
        cur->message = without_addresses(t);
        g->stack = NULL;
    } else if (strcmp(t, "[failed to restore the stack]") != 0) {
        g->stack = NULL; /* (TSan lost a stack: it stays empty) */
    }
}

/* After the log: threads named, and what is missing said. */
static void finish_log(TsanLog *g, size_t first, const SourceSet *ss)
{
    Report *r = g->r;
    for (size_t i = first; i < r->n; i++) {
        Finding *f = &r->items[i];
        for (size_t k = 0; k < f->nstacks; k++)
            if (starts_with(f->stacks[k].title, "Thread T"))
                take_thread(f, f->stacks[k].title, &f->stacks[k], ss);
    }
    if (!g->closed)
        report_set_problem(r, "TSan report is truncated (a warning has no SUMMARY line)");
    for (size_t i = first; i < r->n; i++)
        if (!r->items[i].nstacks && strcmp(r->items[i].kind, "too-long-mutex-cycle") != 0)
            report_set_problem(r, "TSan warning '%s' has no stack: report garbled", r->items[i].kind);
}

void tsan_parse_log(const char *text, size_t len, Report *r, const SourceSet *ss, TsanLogCounts *counts)
{
    char *copy = xstrndup(text, len);
    TsanLog g = {.r = r, .closed = true, .announced = -1};
    char *save = NULL;
    size_t first = r->n;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strlen(line) && line[strlen(line) - 1] == '\r')
            line[strlen(line) - 1] = '\0';
        if (take_failure(&g, line) || take_frame_line(&g, line))
            continue;
        char *t = trim(line);
        if (t[0] == '#' && isdigit((unsigned char)t[1]))
            take_frame(&g, t);
        else if (!*t)
            g.stack = NULL; /* a blank line ends a stack */
        else if (g.cur)
            take_warning_line(&g, t);
    }
    free(copy);
    free(g.head);
    finish_log(&g, first, ss);
    if (counts) {
        counts->announced = g.announced;
        counts->blocks = g.blocks;
    }
}

void tsan_check_counts(const TsanLogCounts *c, size_t n, Report *r)
{
    for (size_t i = 0; i < n; i++) {
        long missing = c[i].announced < 0 ? 0 : c[i].announced - c[i].blocks;
        /* A forked child's counter starts at its parent's: warnings it
         * did not print itself are fine if another process of the run
         * (its parent, or an ancestor's fork) counted at least as many. */
        long inherited = 0;
        for (size_t k = 0; k < n; k++)
            if (k != i && c[k].announced > inherited)
                inherited = c[k].announced;
        if (missing < 0 || missing > inherited)
            report_set_problem(r, "TSan says it reported %ld warnings, the log%s%s holds %ld", c[i].announced,
                               c[i].name ? " " : "", c[i].name ? c[i].name : "", c[i].blocks);
    }
}

void tsan_parse(const char *text, size_t len, Report *r, const SourceSet *ss)
{
    TsanLogCounts c = {NULL, -1, 0};
    tsan_parse_log(text, len, r, ss, &c);
    tsan_check_counts(&c, 1, r);
}
