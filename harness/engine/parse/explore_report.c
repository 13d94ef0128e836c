#include "explore_report.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "elf_symbols.h"
#include "explore_protocol.h"
#include "fs.h"
#include "strbuf.h"
#include "strvec.h"
#include "symbolize.h"
#include "text.h"

#define TRACE_SHOWN 40

typedef struct {
    char *name, *kind, *shown; /* M1, mutex, 'lock_a' or "mutex M1" */
} ObjLine;

typedef struct {
    StrVec *words; /* each line of the report, split */
    size_t n;
    ElfImage *elf; /* the program, for the names of its globals */
    ObjLine *objs;
    size_t nobjs, objs_cap;
    CodeLoc *locs; /* every exe+0x... address named */
    size_t nlocs, locs_cap;
} Parsed;

/* "exe+0x1a2b" -> 0x1a2b; false for "?" */
static bool exe_offset(const char *ref, uint64_t *off)
{
    if (!starts_with(ref, "exe+0x"))
        return false;
    char *end;
    *off = strtoull(ref + 6, &end, 16);
    return !*end;
}

static void want_loc(Parsed *p, const char *ref)
{
    uint64_t off;
    if (!exe_offset(ref, &off))
        return;
    for (size_t i = 0; i < p->nlocs; i++)
        if (p->locs[i].addr == off)
            return;
    PUSH(p->locs, p->nlocs, p->locs_cap, ((CodeLoc){.addr = off}));
}

static const CodeLoc *loc_of(const Parsed *p, const char *ref)
{
    uint64_t off;
    if (!exe_offset(ref, &off))
        return NULL;
    for (size_t i = 0; i < p->nlocs; i++)
        if (p->locs[i].addr == off)
            return &p->locs[i];
    return NULL;
}

/* How a report names an object in what racelab prints. */
static const char *obj_shown(const Parsed *p, const char *name)
{
    for (size_t i = 0; i < p->nobjs; i++)
        if (!strcmp(p->objs[i].name, name))
            return p->objs[i].shown;
    return name;
}

static void add_frame(Stack *s, const Parsed *p, const char *ref)
{
    const CodeLoc *l = loc_of(p, ref);
    stack_add_frame(s, l ? l->fn : NULL, l ? l->file : NULL, l ? l->line : 0);
}

static const char *wait_words(const char *op)
{
    static const struct {
        const char *op, *words;
    } w[] = {{"lock", "waits to lock"},         {"cond-wait", "waits on condition"}, {"rdlock", "waits to read-lock"},
             {"wrlock", "waits to write-lock"}, {"spin-lock", "spins for"},          {"sem-wait", "waits on semaphore"},
             {"barrier", "waits at barrier"},   {"join", "waits to join"},           {"once", "waits for the once of"}};
    for (size_t i = 0; i < ARRAY_LEN(w); i++)
        if (!strcmp(w[i].op, op))
            return w[i].words;
    return op;
}

/* ---- the findings ---- */

static void take_deadlock(Parsed *p, size_t from, size_t to, Report *r)
{
    Finding *f = report_add(r, TOOL_EXPLORE, "deadlock");
    StrBuf msg = STRBUF_INIT;
    sb_add(&msg, "every thread is blocked:");
    bool all_joins = true;
    for (size_t i = from; i < to; i++)
        if (!strcmp(p->words[i].v[0], "wait") && strcmp(p->words[i].v[2], "join") != 0)
            all_joins = false;
    for (size_t i = from; i < to; i++) {
        char **w = p->words[i].v;
        if (!strcmp(w[0], "wait")) {
            char *title = xasprintf("%s %s %s", w[1], wait_words(w[2]), obj_shown(p, w[3]));
            sb_addf(&msg, "%s %s", msg.len > 25 ? ";" : "", title);
            /* a join waits for a thread that waits: the others are the deadlock */
            Stack *s = finding_add_stack(f, title, all_joins || strcmp(w[2], "join") != 0);
            add_frame(s, p, w[4]);
            finding_add_thread(f, w[1]);
            free(title);
        } else if (!strcmp(w[0], "holds")) {
            char *title = xasprintf("%s holds %s, taken", w[1], obj_shown(p, w[2]));
            add_frame(finding_add_stack(f, title, false), p, w[3]);
            free(title);
        }
    }
    f->message = sb_steal(&msg);
}

static void take_self_deadlock(Parsed *p, size_t from, size_t to, Report *r)
{
    for (size_t i = from; i < to; i++) {
        char **w = p->words[i].v;
        if (strcmp(w[0], "again") != 0)
            continue;
        Finding *f = report_add(r, TOOL_EXPLORE, "self-deadlock");
        StrBuf why = STRBUF_INIT;
        for (size_t k = 5; k < p->words[i].n; k++)
            sb_addf(&why, "%s%s", k > 5 ? " " : "", w[k]);
        f->message = xasprintf("%s locks %s again while holding it: %s", w[1], obj_shown(p, w[2]), why.buf);
        sb_free(&why);
        char *t1 = xasprintf("%s locks %s again", w[1], obj_shown(p, w[2]));
        char *t2 = xasprintf("%s took %s first", w[1], obj_shown(p, w[2]));
        add_frame(finding_add_stack(f, t1, true), p, w[3]);
        add_frame(finding_add_stack(f, t2, false), p, w[4]);
        finding_add_thread(f, w[1]);
        free(t1);
        free(t2);
    }
}

static void take_lock_cycle(Parsed *p, size_t from, size_t to, Report *r)
{
    Finding *f = report_add(r, TOOL_EXPLORE, "lock-cycle");
    StrBuf msg = STRBUF_INIT;
    sb_add(&msg, "a lock-order cycle that can deadlock:");
    for (size_t i = from; i < to; i++) {
        char **w = p->words[i].v;
        if (strcmp(w[0], "edge") != 0)
            continue;
        const char *held = obj_shown(p, w[2]), *taken = obj_shown(p, w[4]);
        sb_addf(&msg, "%s %s takes %s holding %s", msg.len > 40 ? ";" : "", w[1], taken, held);
        char *t1 = xasprintf("%s takes %s while holding %s", w[1], taken, held);
        char *t2 = xasprintf("%s took %s", w[1], held);
        add_frame(finding_add_stack(f, t1, true), p, w[5]);
        add_frame(finding_add_stack(f, t2, true), p, w[3]);
        finding_add_thread(f, w[1]);
        free(t1);
        free(t2);
    }
    f->message = sb_steal(&msg);
}

/* Evidence of a pattern that is safe: `gated-cycle` (edge lines, as in a
 * lock-cycle), `ordered` and `unordered` (access lines: T PC). Each line's
 * PC becomes a location stack. */
static void take_evidence(Parsed *p, const char *kind, size_t from, size_t to, Report *r)
{
    Finding *f = report_add_evidence(r, TOOL_EXPLORE, kind);
    for (size_t i = from; i < to; i++) {
        char **w = p->words[i].v;
        if (!strcmp(w[0], "edge")) {
            bool tried = p->words[i].n > 6 && !strcmp(w[6], "trylock");
            add_frame(finding_add_stack(f, tried ? "trylock" : "takes", true), p, w[5]);
            add_frame(finding_add_stack(f, "holding", true), p, w[3]);
            finding_add_thread(f, w[1]);
        } else if (!strcmp(w[0], "access")) {
            add_frame(finding_add_stack(f, "access", true), p, w[2]);
            finding_add_thread(f, w[1]);
        }
    }
}

/* ---- the trace ---- */

static const char *op_words(const char *op)
{
    static const struct {
        const char *op, *words;
    } w[] = {
        {"start", "starts"},
        {"create", "creates"},
        {"join", "joins"},
        {"exit", "ends"},
        {"detach", "detaches"},
        {"lock", "locks"},
        {"trylock", "trylocks (gets)"},
        {"trylock-busy", "trylocks (busy)"},
        {"unlock", "unlocks"},
        {"rdlock", "read-locks"},
        {"wrlock", "write-locks"},
        {"cond-wait", "waits on"},
        {"woken", "is woken on"},
        {"timeout", "times out on"},
        {"spurious-wakeup", "wakes without a signal on"},
        {"signal", "signals"},
        {"broadcast", "broadcasts"},
        {"sem-wait", "waits on"},
        {"sem-post", "posts"},
        {"barrier", "reaches"},
        {"once", "calls once"},
        {"yield", "yields"},
        {"sleep", "sleeps (no time passes under explore)"},
        {"preempted-reading", "is preempted before reading"},
        {"preempted-writing", "is preempted before writing"},
        {"spinning", "spins on"},
        {"blocks", "blocks"},
        {"released", "is released to run freely"},
    };
    for (size_t i = 0; i < ARRAY_LEN(w); i++)
        if (!strcmp(w[i].op, op))
            return w[i].words;
    return op;
}

static char *event_line(const Parsed *p, char **w)
{
    StrBuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s %s", w[2], op_words(w[3]));
    const char *obj = w[4];
    uint64_t off;
    if (strcmp(obj, "-") != 0) {
        if (exe_offset(obj, &off)) {
            char *sym = elf_data_symbol(p->elf, off); /* an address the program accessed */
            sb_addf(&sb, " '%s'", sym ? sym : obj);
            free(sym);
        } else if (!strcmp(obj, "mem")) {
            sb_add(&sb, " memory");
        } else {
            sb_addf(&sb, " %s", obj_shown(p, obj));
        }
    }
    const CodeLoc *l = loc_of(p, w[5]);
    if (l && l->file)
        sb_addf(&sb, " at %s:%d", path_base(l->file), l->line);
    return sb_steal(&sb);
}

/* The smallest period (up to 8 lines) with which lines[i..] repeats at
 * least twice, and how many times; 0 if none. */
static size_t period_at(const StrVec *lines, size_t i, size_t *times)
{
    for (size_t p = 1; p <= 8 && i + 2 * p <= lines->n; p++) {
        size_t t = 1;
        for (;;) {
            size_t start = i + t * p;
            bool same = start + p <= lines->n;
            for (size_t k = 0; same && k < p; k++)
                same = !strcmp(lines->v[start + k], lines->v[i + k]);
            if (!same)
                break;
            t++;
        }
        if (t >= 2) {
            *times = t;
            return p;
        }
    }
    return 0;
}

/* The trace, readable: a thread's wait joined to the call that waits,
 * repeated runs of up to 8 lines folded ("x12": a loop, or two threads
 * taking turns), and only its last lines. */
static char *trace_text(const Parsed *p, unsigned long long total)
{
    StrVec lines = STRVEC_INIT;
    const char *last_tid = NULL, *last_pc = NULL;
    for (size_t i = 0; i < p->n; i++) {
        char **w = p->words[i].v;
        if (strcmp(w[0], "ev") != 0 || p->words[i].n < 6)
            continue;
        if (!strcmp(w[3], "blocks") && lines.n && last_tid && !strcmp(last_tid, w[2]) && !strcmp(last_pc, w[5])) {
            char *l = xasprintf("%s (waits)", lines.v[lines.n - 1]);
            strvec_truncate(&lines, lines.n - 1);
            strvec_push(&lines, l);
            free(l);
            continue;
        }
        char *l = event_line(p, w);
        strvec_push(&lines, l);
        free(l);
        last_tid = w[2];
        last_pc = w[5];
    }
    StrVec out = STRVEC_INIT;
    for (size_t i = 0; i < lines.n;) {
        size_t times = 0, per = period_at(&lines, i, &times);
        if (!per) {
            strvec_push(&out, lines.v[i++]);
        } else if (per == 1) {
            strvec_pushf(&out, "%s  (x%zu)", lines.v[i], times);
            i += times;
        } else {
            for (size_t k = 0; k < per; k++)
                strvec_pushf(&out, "%s%s", lines.v[i + k], k + 1 < per ? "  |" : "");
            strvec_pushf(&out, "  (these %zu lines x%zu)", per, times);
            i += per * times;
        }
    }
    StrBuf sb = STRBUF_INIT;
    size_t first = out.n > TRACE_SHOWN ? out.n - TRACE_SHOWN : 0;
    if (first || total > lines.n)
        sb_addf(&sb, "(the last steps of %llu; all of them are in the run's explore.log)\n", total);
    for (size_t i = first; i < out.n; i++)
        sb_addf(&sb, "%s\n", out.v[i]);
    strvec_clear(&lines);
    strvec_clear(&out);
    return sb_steal(&sb);
}

/* ---- reading ---- */

static bool enough_words(const char *rec, size_t n)
{
    static const struct {
        const char *rec;
        size_t min;
    } need[] = {{"obj", 4},        {"finding", 2}, {"wait", 5}, {"holds", 4}, {"again", 5}, {"edge", 6},
                {"endfinding", 1}, {"note", 1},    {"ev", 6},   {"trace", 2}, {"end", 4},
                {"evidence", 2},   {"endevidence", 1}, {"access", 3}, {"cp", 6}};
    for (size_t i = 0; i < ARRAY_LEN(need); i++)
        if (!strcmp(need[i].rec, rec))
            return n >= need[i].min;
    return false;
}

/* Reads the report's lines; with_trace, the trace's addresses are looked
 * up too (an addr2line run: only for the schedule that is shown). */
static void read_report(const char *text, size_t len, const char *exe, bool with_trace, Parsed *p, Report *r,
                        ExploreInfo *info)
{
    memset(info, 0, sizeof *info);
    size_t cap = 0;
    char *copy = xstrndup(text, len);
    const char *pos = copy, *line;
    size_t ll, lineno = 0;
    StrBuf notes = STRBUF_INIT;
    char *err = NULL;
    p->elf = elf_open(exe, &err);
    free(err);
    err = NULL;
    while (next_line(&pos, &line, &ll)) {
        lineno++;
        char *l = xstrndup(line, ll);
        StrVec w = STRVEC_INIT;
        strvec_push_words(&w, l);
        free(l);
        if (!w.n) {
            strvec_clear(&w);
            continue;
        }
        if (lineno == 1) {
            if (starts_with(w.v[0], "racelab-explore") && w.n >= 3 && !strcmp(w.v[1], "1") &&
                starts_with(w.v[2], "seed=")) {
                info->started = true;
                info->seed = strtoull(w.v[2] + 5, NULL, 10);
            } else {
                report_set_problem(r, "the explore report does not start with '%s'", EXPLORE_MAGIC);
            }
            strvec_clear(&w);
            continue;
        }
        if (!enough_words(w.v[0], w.n)) {
            report_set_problem(r, "the explore report is garbled at line %zu", lineno);
            strvec_clear(&w);
            continue;
        }
        if (!strcmp(w.v[0], "obj")) {
            ObjLine o = {xstrdup(w.v[1]), xstrdup(w.v[2]), NULL};
            uint64_t off;
            char *sym = exe_offset(w.v[3], &off) ? elf_data_symbol(p->elf, off) : NULL;
            o.shown = sym ? xasprintf("'%s'", sym) : xasprintf("%s %s", w.v[2], w.v[1]);
            free(sym);
            PUSH(p->objs, p->nobjs, p->objs_cap, o);
        } else if (!strcmp(w.v[0], "note")) {
            for (size_t i = 1; i < w.n; i++)
                sb_addf(&notes, "%s%s", i > 1 ? " " : "", w.v[i]);
            sb_addch(&notes, '\n');
            info->released = info->released || !strcmp(w.v[1], "released");
            if (!strcmp(w.v[1], "released") && !r->incomplete)
                r->incomplete = xstrdup("a thread ran freely for a while: explore did not follow all it did");
            /* `note lock-graph incomplete: WHY`: the evidence is not whole */
            if (w.n >= 3 && !strcmp(w.v[2], "incomplete:") && !r->incomplete) {
                StrBuf why = STRBUF_INIT;
                for (size_t i = 3; i < w.n; i++)
                    sb_addf(&why, "%s%s", i > 3 ? " " : "", w.v[i]);
                r->incomplete = xasprintf("explore's %s is incomplete: %s", w.v[1], why.buf);
                sb_free(&why);
            }
        } else if (!strcmp(w.v[0], "end")) {
            info->ended = true;
            info->steps = strtoul(w.v[1], NULL, 10);
            info->switches = strtoul(w.v[2], NULL, 10);
            info->threads = atoi(w.v[3]);
        }
        /* (choice points name addresses, not lines: explore_choices.c reads them) */
        bool wanted = strcmp(w.v[0], "cp") != 0 &&
                      (with_trace ? strcmp(w.v[0], "obj") != 0 : strcmp(w.v[0], "ev") != 0 && strcmp(w.v[0], "obj") != 0);
        for (size_t i = 1; wanted && i < w.n; i++)
            if (starts_with(w.v[i], "exe+0x"))
                want_loc(p, w.v[i]);
        ALLOC_GROW(p->words, p->n + 1, cap);
        p->words[p->n++] = w;
    }
    free(copy);
    if (!symbolize(exe, p->locs, p->nlocs, &err)) {
        report_set_problem(r, "cannot read the program's lines: %s", err);
        free(err);
    }
    info->notes = sb_steal(&notes);
    info->trace = xstrdup("");
    if (!info->started && !r->problem)
        report_set_problem(r, "the explore report is empty: the runtime did not start in the program");
}

static void parsed_free(Parsed *p)
{
    for (size_t i = 0; i < p->n; i++)
        strvec_clear(&p->words[i]);
    free(p->words);
    for (size_t i = 0; i < p->nobjs; i++)
        free(p->objs[i].name), free(p->objs[i].kind), free(p->objs[i].shown);
    free(p->objs);
    codeloc_free(p->locs, p->nlocs);
    free(p->locs);
    elf_close(p->elf);
}

void explore_parse(const char *text, size_t len, const char *exe, Report *r, ExploreInfo *info)
{
    Parsed p = {0};
    read_report(text, len, exe, false, &p, r, info);
    /* the findings, between `finding KIND` and `endfinding` */
    for (size_t i = 0; i < p.n; i++) {
        char **w = p.words[i].v;
        if (!strcmp(w[0], "evidence")) {
            size_t end = i + 1;
            while (end < p.n && strcmp(p.words[end].v[0], "endevidence") != 0 &&
                   strcmp(p.words[end].v[0], "evidence") != 0 && strcmp(p.words[end].v[0], "finding") != 0)
                end++;
            if (end == p.n || strcmp(p.words[end].v[0], "endevidence") != 0) {
                report_set_problem(r, "the explore report is cut off inside '%s' evidence", w[1]);
                continue;
            }
            take_evidence(&p, w[1], i + 1, end, r);
            i = end;
            continue;
        }
        if (strcmp(w[0], "finding") != 0)
            continue;
        size_t end = i + 1;
        while (end < p.n && strcmp(p.words[end].v[0], "endfinding") != 0 && strcmp(p.words[end].v[0], "finding") != 0)
            end++;
        if (end == p.n || strcmp(p.words[end].v[0], "endfinding") != 0) {
            report_set_problem(r, "the explore report is cut off inside a '%s' finding", w[1]);
            continue;
        }
        if (!strcmp(w[1], "deadlock")) {
            take_deadlock(&p, i + 1, end, r);
            info->stuck = true;
        } else if (!strcmp(w[1], "self-deadlock")) {
            take_self_deadlock(&p, i + 1, end, r);
            info->stuck = true;
        } else if (!strcmp(w[1], "lock-cycle")) {
            take_lock_cycle(&p, i + 1, end, r);
        } else {
            report_set_problem(r, "the explore report has a finding of unknown kind '%s'", w[1]);
        }
        i = end;
    }
    parsed_free(&p);
}

char *explore_trace(const char *text, size_t len, const char *exe)
{
    Parsed p = {0};
    Report scratch;
    report_init(&scratch);
    ExploreInfo info;
    read_report(text, len, exe, true, &p, &scratch, &info);
    unsigned long long total = 0;
    for (size_t i = 0; i < p.n; i++)
        if (!strcmp(p.words[i].v[0], "trace") && p.words[i].n >= 4)
            total = strtoull(p.words[i].v[3], NULL, 10);
    char *t = trace_text(&p, total);
    char *out = *info.notes ? xasprintf("%snotes:\n%s", t, info.notes) : xstrdup(t);
    free(t);
    explore_info_free(&info);
    report_free(&scratch);
    parsed_free(&p);
    return out;
}

void explore_info_free(ExploreInfo *info)
{
    free(info->trace);
    free(info->notes);
    memset(info, 0, sizeof *info);
}
