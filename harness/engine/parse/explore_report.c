#include "explore_report.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "explore_log.h"
#include "explore_protocol.h"
#include "fs.h"
#include "strbuf.h"
#include "strvec.h"
#include "text.h"

/* "exe+0x1a2b" -> 0x1a2b; false for "?" */
bool elog_offset(const char *ref, uint64_t *off)
{
    if (!starts_with(ref, "exe+0x"))
        return false;
    char *end;
    *off = strtoull(ref + 6, &end, 16);
    return !*end;
}

static void want_loc(ExploreLog *p, const char *ref)
{
    uint64_t off;
    if (!elog_offset(ref, &off))
        return;
    for (size_t i = 0; i < p->nlocs; i++)
        if (p->locs[i].addr == off)
            return;
    PUSH(p->locs, p->nlocs, p->locs_cap, ((CodeLoc){.addr = off}));
}

static void want_data(ExploreLog *p, uint64_t addr)
{
    for (size_t i = 0; i < p->ndata; i++)
        if (p->data[i] == addr)
            return;
    PUSH(p->data, p->ndata, p->data_cap, addr);
}

/* The global at a data address, as the caller named it, or NULL. */
const char *elog_data_name(const ExploreLog *p, uint64_t addr)
{
    for (size_t i = 0; i < p->ndata; i++)
        if (p->data[i] == addr)
            return p->data_names ? p->data_names[i] : NULL;
    return NULL;
}

const CodeLoc *elog_loc(const ExploreLog *p, const char *ref)
{
    uint64_t off;
    if (!elog_offset(ref, &off))
        return NULL;
    for (size_t i = 0; i < p->nlocs; i++)
        if (p->locs[i].addr == off)
            return &p->locs[i];
    return NULL;
}

/* How a report names an object in what racelab prints. */
const char *elog_obj_shown(const ExploreLog *p, const char *name)
{
    for (size_t i = 0; i < p->nobjs; i++)
        if (!strcmp(p->objs[i].name, name))
            return p->objs[i].shown;
    return name;
}

static void add_frame(Stack *s, const ExploreLog *p, const char *ref)
{
    const CodeLoc *l = elog_loc(p, ref);
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

static void take_deadlock(ExploreLog *p, size_t from, size_t to, Report *r)
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
            char *title = xasprintf("%s %s %s", w[1], wait_words(w[2]), elog_obj_shown(p, w[3]));
            sb_addf(&msg, "%s %s", msg.len > 25 ? ";" : "", title);
            /* a join waits for a thread that waits: the others are the deadlock */
            Stack *s = finding_add_stack(f, title, all_joins || strcmp(w[2], "join") != 0);
            add_frame(s, p, w[4]);
            finding_add_thread(f, w[1]);
            free(title);
        } else if (!strcmp(w[0], "holds")) {
            char *title = xasprintf("%s holds %s, taken", w[1], elog_obj_shown(p, w[2]));
            add_frame(finding_add_stack(f, title, false), p, w[3]);
            free(title);
        }
    }
    f->message = sb_steal(&msg);
}

static void take_self_deadlock(ExploreLog *p, size_t from, size_t to, Report *r)
{
    for (size_t i = from; i < to; i++) {
        char **w = p->words[i].v;
        if (strcmp(w[0], "again") != 0)
            continue;
        Finding *f = report_add(r, TOOL_EXPLORE, "self-deadlock");
        StrBuf why = STRBUF_INIT;
        for (size_t k = 5; k < p->words[i].n; k++)
            sb_addf(&why, "%s%s", k > 5 ? " " : "", w[k]);
        f->message = xasprintf("%s locks %s again while holding it: %s", w[1], elog_obj_shown(p, w[2]), why.buf);
        sb_free(&why);
        char *t1 = xasprintf("%s locks %s again", w[1], elog_obj_shown(p, w[2]));
        char *t2 = xasprintf("%s took %s first", w[1], elog_obj_shown(p, w[2]));
        add_frame(finding_add_stack(f, t1, true), p, w[3]);
        add_frame(finding_add_stack(f, t2, false), p, w[4]);
        finding_add_thread(f, w[1]);
        free(t1);
        free(t2);
    }
}

static void take_lock_cycle(ExploreLog *p, size_t from, size_t to, Report *r)
{
    Finding *f = report_add(r, TOOL_EXPLORE, "lock-cycle");
    StrBuf msg = STRBUF_INIT;
    sb_add(&msg, "a lock-order cycle that can deadlock:");
    for (size_t i = from; i < to; i++) {
        char **w = p->words[i].v;
        if (strcmp(w[0], "edge") != 0)
            continue;
        const char *held = elog_obj_shown(p, w[2]), *taken = elog_obj_shown(p, w[4]);
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
static void take_evidence(ExploreLog *p, const char *kind, size_t from, size_t to, Report *r)
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
            uint64_t off;
            const char *name = p->words[i].n > 3 && elog_offset(w[3], &off) ? elog_data_name(p, off) : NULL;
            if (name && !f->var)
                f->var = xstrdup(name); /* the global accessed ("counter", "table+8") */
        }
    }
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

/* The header line: the runtime started, with its seed. */
static void read_header(const StrVec *w, Report *r, ExploreInfo *info)
{
    if (starts_with(w->v[0], "racelab-explore") && w->n >= 3 && !strcmp(w->v[1], "1") && starts_with(w->v[2], "seed=")) {
        info->started = true;
        info->seed = strtoull(w->v[2] + 5, NULL, 10);
    } else {
        report_set_problem(r, "the explore report does not start with '%s'", EXPLORE_MAGIC);
    }
}

/* One record: objects, notes and the end are taken now; every line is
 * kept, and the addresses it names are wanted (with_trace: the trace's
 * too, for the schedule that is shown). */
static void read_record(ExploreLog *p, StrVec *w, bool with_trace, StrBuf *notes, ExploreInfo *info, Report *r)
{
    if (!strcmp(w->v[0], "obj")) {
        ObjLine o = {xstrdup(w->v[1]), xstrdup(w->v[2]), NULL, false, 0};
        o.at_exe = elog_offset(w->v[3], &o.addr);
        if (o.at_exe)
            want_data(p, o.addr);
        PUSH(p->objs, p->nobjs, p->objs_cap, o);
    } else if (!strcmp(w->v[0], "note")) {
        for (size_t i = 1; i < w->n; i++)
            sb_addf(notes, "%s%s", i > 1 ? " " : "", w->v[i]);
        sb_addch(notes, '\n');
        info->released = info->released || !strcmp(w->v[1], "released");
        if (!strcmp(w->v[1], "released") && !r->incomplete)
            r->incomplete = xstrdup("a thread ran freely for a while: explore did not follow all it did");
        /* `note lock-graph incomplete: WHY`: the evidence is not whole */
        if (w->n >= 3 && !strcmp(w->v[2], "incomplete:") && !r->incomplete) {
            StrBuf why = STRBUF_INIT;
            for (size_t i = 3; i < w->n; i++)
                sb_addf(&why, "%s%s", i > 3 ? " " : "", w->v[i]);
            r->incomplete = xasprintf("explore's %s is incomplete: %s", w->v[1], why.buf);
            sb_free(&why);
        }
    } else if (!strcmp(w->v[0], "end")) {
        info->ended = true;
        info->steps = strtoul(w->v[1], NULL, 10);
        info->switches = strtoul(w->v[2], NULL, 10);
        info->threads = atoi(w->v[3]);
    }
    uint64_t off;
    if (with_trace && !strcmp(w->v[0], "ev") && elog_offset(w->v[4], &off))
        want_data(p, off);
    if (!strcmp(w->v[0], "access")) { /* access T PC ADDR: a line, and a global's name */
        want_loc(p, w->v[2]);
        if (w->n > 3 && elog_offset(w->v[3], &off))
            want_data(p, off);
        return;
    }
    /* (choice points name addresses, not lines: explore_choices.c reads them) */
    bool wanted = strcmp(w->v[0], "cp") != 0 &&
                  (with_trace ? strcmp(w->v[0], "obj") != 0 : strcmp(w->v[0], "ev") != 0 && strcmp(w->v[0], "obj") != 0);
    for (size_t i = 1; wanted && i < w->n; i++)
        if (starts_with(w->v[i], "exe+0x"))
            want_loc(p, w->v[i]);
}

ExploreLog *explore_log_read(const char *text, size_t len, bool with_trace, Report *r, ExploreInfo *info)
{
    ExploreLog *p = xcalloc(1, sizeof *p);
    memset(info, 0, sizeof *info);
    size_t cap = 0;
    char *copy = xstrndup(text, len);
    const char *pos = copy, *line;
    size_t ll, lineno = 0;
    StrBuf notes = STRBUF_INIT;
    while (next_line(&pos, &line, &ll)) {
        lineno++;
        char *l = xstrndup(line, ll);
        StrVec w = STRVEC_INIT;
        strvec_push_words(&w, l);
        free(l);
        bool keep = false;
        if (!w.n)
            ; /* a blank line */
        else if (lineno == 1)
            read_header(&w, r, info);
        else if (!enough_words(w.v[0], w.n))
            report_set_problem(r, "the explore report is garbled at line %zu", lineno);
        else
            keep = strcmp(w.v[0], "cp") != 0; /* choice points: explore_choices.c */
        if (!keep) {
            strvec_clear(&w);
            continue;
        }
        read_record(p, &w, with_trace, &notes, info, r);
        ALLOC_GROW(p->words, p->n + 1, cap);
        p->words[p->n++] = w;
    }
    free(copy);
    info->notes = sb_steal(&notes);
    info->trace = xstrdup("");
    return p;
}

CodeLoc *explore_log_code(ExploreLog *p, size_t *n)
{
    *n = p->nlocs;
    return p->locs;
}

const uint64_t *explore_log_data(const ExploreLog *p, size_t *n)
{
    *n = p->ndata;
    return p->data;
}

void explore_log_name_data(ExploreLog *p, size_t i, char *name)
{
    if (!p->data_names)
        p->data_names = xcalloc(p->ndata + 1, sizeof(char *));
    free(p->data_names[i]);
    p->data_names[i] = name;
}

/* How each object is shown, once its address is named. */
void elog_name_objects(ExploreLog *p)
{
    for (size_t i = 0; i < p->nobjs; i++) {
        ObjLine *o = &p->objs[i];
        const char *sym = o->at_exe ? elog_data_name(p, o->addr) : NULL;
        free(o->shown);
        o->shown = sym ? xasprintf("'%s'", sym) : xasprintf("%s %s", o->kind, o->name);
    }
}

void explore_log_free(ExploreLog *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        strvec_clear(&p->words[i]);
    free(p->words);
    for (size_t i = 0; i < p->nobjs; i++)
        free(p->objs[i].name), free(p->objs[i].kind), free(p->objs[i].shown);
    free(p->objs);
    codeloc_free(p->locs, p->nlocs);
    free(p->locs);
    for (size_t i = 0; p->data_names && i < p->ndata; i++)
        free(p->data_names[i]);
    free(p->data_names);
    free(p->data);
    free(p);
}

void explore_log_findings(ExploreLog *p, Report *r, ExploreInfo *info)
{
    if (!info->started && !r->problem)
        report_set_problem(r, "the explore report is empty: the runtime did not start in the program");
    elog_name_objects(p);
    /* the findings, between `finding KIND` and `endfinding` */
    for (size_t i = 0; i < p->n; i++) {
        char **w = p->words[i].v;
        if (!strcmp(w[0], "evidence")) {
            size_t end = i + 1;
            while (end < p->n && strcmp(p->words[end].v[0], "endevidence") != 0 &&
                   strcmp(p->words[end].v[0], "evidence") != 0 && strcmp(p->words[end].v[0], "finding") != 0)
                end++;
            if (end == p->n || strcmp(p->words[end].v[0], "endevidence") != 0) {
                report_set_problem(r, "the explore report is cut off inside '%s' evidence", w[1]);
                continue;
            }
            take_evidence(p, w[1], i + 1, end, r);
            i = end;
            continue;
        }
        if (strcmp(w[0], "finding") != 0)
            continue;
        size_t end = i + 1;
        while (end < p->n && strcmp(p->words[end].v[0], "endfinding") != 0 && strcmp(p->words[end].v[0], "finding") != 0)
            end++;
        if (end == p->n || strcmp(p->words[end].v[0], "endfinding") != 0) {
            report_set_problem(r, "the explore report is cut off inside a '%s' finding", w[1]);
            continue;
        }
        if (!strcmp(w[1], "deadlock")) {
            take_deadlock(p, i + 1, end, r);
            info->stuck = true;
        } else if (!strcmp(w[1], "self-deadlock")) {
            take_self_deadlock(p, i + 1, end, r);
            info->stuck = true;
        } else if (!strcmp(w[1], "lock-cycle")) {
            take_lock_cycle(p, i + 1, end, r);
        } else {
            report_set_problem(r, "the explore report has a finding of unknown kind '%s'", w[1]);
        }
        i = end;
    }
}

void explore_info_free(ExploreInfo *info)
{
    free(info->trace);
    free(info->notes);
    memset(info, 0, sizeof *info);
}
