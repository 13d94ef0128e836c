#include "tsan_report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"
#include "text.h"

#define SEPARATOR "=================="
#define WARNING "WARNING: ThreadSanitizer: "

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

/* "    #1 main /src/a.c:16:33 (bin+0x1) (BuildId: ..)" */
static void parse_frame(Stack *s, const char *line)
{
    const char *p = strchr(line, '#');
    while (*p && *p != ' ')
        p++;
    while (*p == ' ')
        p++;
    const char *fn_end = strchr(p, ' ');
    if (!fn_end) {
        stack_add_frame(s, p, NULL, 0);
        return;
    }
    char *fn = xstrndup(p, (size_t)(fn_end - p));
    p = fn_end + 1;
    const char *loc_end = strstr(p, " (");
    char *loc = xstrndup(p, loc_end ? (size_t)(loc_end - p) : strlen(p));
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

/* "Location is global 'counter' of size 4 at 0x.." */
static void take_variable(Finding *f, const char *line)
{
    const char *q = strstr(line, "global '");
    if (!q)
        return;
    q += strlen("global '");
    const char *e = strchr(q, '\'');
    if (e && !f->var)
        f->var = xstrndup(q, (size_t)(e - q));
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

void tsan_parse(const char *text, size_t len, Report *r, const SourceSet *ss)
{
    char *copy = xstrndup(text, len);
    Finding *cur = NULL;
    Stack *stack = NULL;
    Stack *crash = NULL;
    bool closed = true;
    long blocks = 0, announced = -1;
    char *save = NULL;
    size_t first = r->n;

    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strlen(line) && line[strlen(line) - 1] == '\r')
            line[strlen(line) - 1] = '\0';
        if (strstr(line, "ThreadSanitizer: CHECK failed") || strstr(line, "FATAL: ThreadSanitizer") ||
            strstr(line, "ThreadSanitizer: failed") || strstr(line, "ThreadSanitizer: ran out")) {
            if (strstr(line, "unexpected memory mapping"))
                report_set_problem(r,
                                   "TSan could not start: %s (the kernel's vm.mmap_rnd_bits is too "
                                   "high for this TSan: run `sudo sysctl vm.mmap_rnd_bits=28`; "
                                   "google/sanitizers#1716)",
                                   trim(line));
            else
                report_set_problem(r, "TSan failed internally: %s", trim(line));
            continue;
        }
        if (strstr(line, "ThreadSanitizer:DEADLYSIGNAL"))
            continue;
        if (strstr(line, "ERROR: ThreadSanitizer: ") && !strstr(line, "WARNING")) {
            /* "==12==ERROR: ThreadSanitizer: SEGV on unknown address ..." */
            char *msg = without_addresses(strstr(line, "ThreadSanitizer: ") + strlen("ThreadSanitizer: "));
            if (!r->crash)
                r->crash = msg;
            else
                free(msg);
            crash = &r->crash_stack;
            cur = NULL;
            stack = NULL;
            continue;
        }
        if (!strcmp(line, SEPARATOR)) {
            cur = NULL;
            stack = NULL;
            crash = NULL;
            continue;
        }
        if (starts_with(line, WARNING)) {
            if (!closed)
                report_set_problem(r, "TSan report is garbled (a warning starts inside another)");
            closed = false;
            char *kind = kind_of(line + strlen(WARNING));
            cur = report_add(r, TOOL_TSAN, kind);
            free(kind);
            blocks++;
            stack = NULL;
            crash = NULL;
            continue;
        }
        if (starts_with(line, "SUMMARY: ThreadSanitizer:")) {
            closed = true;
            cur = NULL;
            stack = NULL;
            crash = NULL;
            continue;
        }
        if (starts_with(line, "ThreadSanitizer: reported ")) {
            announced = atol(line + strlen("ThreadSanitizer: reported "));
            continue;
        }
        char *t = trim(line);
        if (t[0] == '#' && isdigit((unsigned char)t[1])) {
            if (stack)
                parse_frame(stack, t);
            else if (crash)
                parse_frame(crash, t);
            continue;
        }
        if (!cur || !*t)
            continue;
        if (starts_with(t, "Location is"))
            take_variable(cur, t);
        if (ends_with(t, ":")) {
            t[strlen(t) - 1] = '\0';
            char *title = without_addresses(t);
            stack = finding_add_stack(cur, title, !is_context_stack(title, cur->kind));
            if (!cur->message && stack->is_location)
                cur->message = xstrdup(title);
            free(title);
        } else if (starts_with(t, "Cycle in lock order graph")) {
            free(cur->message);
            cur->message = without_addresses(t);
            stack = NULL;
        } else {
            stack = NULL;
        }
    }
    free(copy);

    for (size_t i = first; i < r->n; i++) {
        Finding *f = &r->items[i];
        for (size_t k = 0; k < f->nstacks; k++)
            if (starts_with(f->stacks[k].title, "Thread T"))
                take_thread(f, f->stacks[k].title, &f->stacks[k], ss);
    }
    if (!closed)
        report_set_problem(r, "TSan report is truncated (a warning has no SUMMARY line)");
    else if (announced >= 0 && announced != blocks)
        report_set_problem(r, "TSan says it reported %ld warnings, the log holds %ld", announced, blocks);
    for (size_t i = first; i < r->n; i++)
        if (!r->items[i].nstacks)
            report_set_problem(r, "TSan warning '%s' has no stack: report garbled", r->items[i].kind);
}
