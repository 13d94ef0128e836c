#include "grade.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab.h"
#include "proc.h"
#include "sandbox.h"
#include "alloc.h"
#include "fs.h"
#include "log.h"
#include "measure.h"
#include "strvec.h"
#include "text.h"
#include "toolpaths.h"

#define NATIVE_DRAWN 3 /* native runs with drawn inputs, after the handout's own */
#define NATIVE_TIMEOUT 10.0
#define TSAN_TIMEOUT 20.0
#define VALGRIND_TIMEOUT 40.0
#define SHOWN_FINDINGS 5
#define SHOWN_LOG_LINES 30

static const struct {
    const char *key, *name;
    int points;
} check_info[CHK_COUNT] = {
    {"compile", "compiles (warnings shown, not fatal)", 10},
    {"tsan", "clean under ThreadSanitizer", 20},
    {"helgrind", "clean under Helgrind", 10},
    {"drd", "clean under DRD", 10},
    {"memcheck", "clean under memcheck (threads left behind)", 10},
    {"answer", "right answer, with inputs drawn by the grader", 25},
    {"threads", "really concurrent: creates the threads the case calls for", 10},
    {"time", "finishes in time", 5},
};

const char *check_name(CheckId id)
{
    return check_info[id].name;
}

const char *check_key(CheckId id)
{
    return check_info[id].key;
}

/* The counting shim, linked into the native build with
 * -Wl,--wrap=pthread_create: each thread created writes the grader's
 * secret tag to a copy of stderr taken before main (closing 2 later does
 * not hide it). The tag is new for every grade. */
static const char shim_fmt[] =
    "/* racelab grade: counts pthread_create calls (-Wl,--wrap=pthread_create). */\n"
    "#include <fcntl.h>\n#include <pthread.h>\n#include <unistd.h>\n"
    "int __real_pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);\n"
    "static int racelab_count_fd = 2;\n"
    "__attribute__((constructor)) static void racelab_count_init(void)\n"
    "{\n    int fd = fcntl(2, F_DUPFD_CLOEXEC, 100);\n    if (fd >= 0)\n        racelab_count_fd = fd;\n}\n"
    "int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)\n"
    "{\n    int r = __real_pthread_create(t, a, fn, arg);\n    if (r == 0) {\n"
    "        static const char tag[] = \"\\n%s\\n\";\n"
    "        ssize_t w = write(racelab_count_fd, tag, sizeof tag - 1);\n        (void)w;\n    }\n"
    "    return r;\n}\n";

typedef struct {
    const char *text, *check; /* an explanation, and the check that gave it */
} Said;

typedef struct {
    const GradeOptions *o;
    const Submission *sub;
    GradeResult *g;
    char *dir, *src_dir, *src, *cache, *runs, *shim_dir;
    char *tag;
    StrVec cflags;
    char **build_wrap;
    Sandbox sb;
    unsigned long long rng;
    SourceSet ss;
    StrBuf runs_text;
    char *native_exe;
    int warnings;
    bool hung;           /* some run did not finish: the time check fails */
    bool native_stuck;   /* a native run hung or flooded: the detectors are not run */
    int answer_runs, answer_bad;
    char *answer_why;
    bool wrong_value;    /* some run printed a wrong answer (not only failed) */
    Said said[16]; /* explanations given already */
    size_t nsaid;
} Grader;

/* ---- inputs ---- */

static unsigned long long rng_next(unsigned long long *s) /* splitmix64 */
{
    unsigned long long z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Values from the `grade:` ranges. Under the detectors, from the case's own
 * detector value (`params:`, chosen to show its bug) up to a quarter of the
 * range: a race shows on the first conflicting pair, and Helgrind is ~100x
 * slower than a native run. */
static Params draw(Grader *G, bool low)
{
    Params ps = params_copy(&G->o->spec->params);
    for (size_t i = 0; i < ps.n; i++) {
        Param *p = &ps.items[i];
        long long lo = p->lo, hi = p->hi;
        if (low) {
            lo = p->value < p->lo ? p->lo : p->value > p->hi ? p->hi : p->value;
            hi = p->lo + (p->hi - p->lo) / 4 > lo ? p->lo + (p->hi - p->lo) / 4 : lo;
        }
        p->value = hi > lo ? lo + (long long)(rng_next(&G->rng) % (unsigned long long)(hi - lo + 1)) : lo;
    }
    return ps;
}

static char *params_text(const Params *ps)
{
    StrBuf sb = STRBUF_INIT;
    for (size_t i = 0; i < ps->n; i++)
        sb_addf(&sb, "%s%s=%lld", i ? " " : "", ps->items[i].name, ps->items[i].value);
    return sb_steal(&sb);
}

/* The first expected output line, over ps (for comparing answers). */
static char *expected_line(const CaseSpec *s, const Params *ps)
{
    char *err = NULL;
    char *r = s->noutputs ? expr_subst(s->outputs[0], ps, &err) : xstrdup("");
    free(err);
    return r ? r : xstrdup("");
}

/* ---- checks ---- */

static Check *chk(Grader *G, CheckId id)
{
    return &G->g->checks[id];
}

static void set_check(Grader *G, CheckId id, CheckStatus st, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void set_check(Grader *G, CheckId id, CheckStatus st, const char *fmt, ...)
{
    Check *c = chk(G, id);
    va_list ap;
    va_start(ap, fmt);
    char *summary = xvasprintf(fmt, ap);
    va_end(ap);
    c->status = st;
    free(c->summary);
    c->summary = summary;
}

static void skip_from(Grader *G, CheckId first, const char *why)
{
    for (int i = first; i < CHK_COUNT; i++)
        if (chk(G, (CheckId)i)->status != CS_NA)
            set_check(G, (CheckId)i, CS_SKIPPED, "not run: %s", why);
}

/* ---- the scratch directory and the sandbox ---- */

static bool setup(Grader *G)
{
    char *tmpl = xasprintf("%s/grade-XXXXXX", G->o->work_dir);
    if (!mkdir_p(G->o->work_dir) || !mkdtemp(tmpl)) {
        G->g->rejected = xasprintf("cannot create a scratch directory in %s: %s", G->o->work_dir, strerror(errno));
        free(tmpl);
        return false;
    }
    G->dir = tmpl;
    G->src_dir = path_join(G->dir, "src");
    G->cache = path_join(G->dir, "cache");
    G->runs = path_join(G->dir, "runs");
    G->shim_dir = path_join(G->dir, "shim");
    G->src = xasprintf("%s/%s.c", G->src_dir, G->o->spec->name);
    mkdir_p(G->src_dir), mkdir_p(G->cache), mkdir_p(G->runs), mkdir_p(G->shim_dir);
    if (!write_file(G->src, G->sub->text, G->sub->len)) {
        G->g->rejected = xasprintf("cannot write %s: %s", G->src, strerror(errno));
        return false;
    }
    chmod(G->src, 0444);
    unsigned long long nonce = 0;
    if (getrandom(&nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce)
        nonce = rng_next(&G->rng) ^ (unsigned long long)getpid();
    G->tag = xasprintf("racelab-threads-%016llx", nonce);
    char *shim_text = xasprintf(shim_fmt, G->tag);
    char *shim = path_join(G->shim_dir, "racelab_count.c");
    write_file(shim, shim_text, strlen(shim_text));
    free(shim_text);
    strvec_push(&G->cflags, "-Wl,--wrap=pthread_create");
    strvec_push(&G->cflags, shim);
    free(shim);
    sources_add(&G->ss, G->src);

    sandbox_init(&G->sb, G->o->sandbox);
    G->g->sandbox = xstrdup(G->sb.limits);
    /* Compilers see the source and the shim read-only, write only the
     * cache; programs see the binaries read-only, write only their runs. */
    SandboxMount bm[] = {{G->src_dir, false}, {G->shim_dir, false}, {G->cache, true}};
    SandboxStep st = {.mounts = bm, .nmounts = ARRAY_LEN(bm), .chdir = G->src_dir, .clearenv = true,
                      .home = G->src_dir, .cpu_seconds = 60, .fsize = 256ll << 20, .as_limit = 4ll << 30};
    G->build_wrap = sandbox_argv(&G->sb, &st);
    return true;
}

static void teardown(Grader *G)
{
    sandbox_free(&G->sb);
    if (G->dir && !G->o->keep)
        remove_tree(G->dir);
    strv_free(G->build_wrap);
    free(G->dir), free(G->src_dir), free(G->src), free(G->cache), free(G->runs), free(G->shim_dir);
    strvec_clear(&G->cflags);
    free(G->tag), free(G->native_exe), free(G->answer_why);
    sources_free(&G->ss);
}

static void run_job(Grader *G, ToolId tool, const Params *ps, LabResult *r)
{
    double timeout = tool == TOOL_NATIVE ? NATIVE_TIMEOUT : tool == TOOL_TSAN ? TSAN_TIMEOUT : VALGRIND_TIMEOUT;
    SandboxMount rm[] = {{G->cache, false}, {G->runs, true}};
    SandboxStep st = {.mounts = rm, .nmounts = ARRAY_LEN(rm), .cpu_seconds = (long)timeout + 5,
                      .fsize = 64ll << 20};
    char **wrap = sandbox_argv(&G->sb, &st);
    RunOptions ro = {.work_dir = G->runs, .timeout = timeout, .wrapper = wrap};
    LabJob j = {.spec = G->o->spec, .source = G->src, .variant = VARIANT_FIXED, .tool = tool, .run = &ro,
                .cache_dir = G->cache, .params = ps, .stress = ps, .native_runs = 1, .cflags = &G->cflags,
                .build_wrapper = G->build_wrap};
    lab_run(&j, r);
    strv_free(wrap);
    sandbox_kill_all(&G->sb); /* nothing a step started outlives it */
}

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

static void judge_build(Grader *G, const BuildResult *b, const char *compiler)
{
    Check *c = chk(G, CHK_COMPILE);
    if (!b->ok) {
        sb_addf(&c->detail, "  %s says:\n", compiler);
        add_log(G, &c->detail, b->log, compiler);
        set_check(G, CHK_COMPILE, CS_FAILED, "does not compile with %s", compiler);
        return;
    }
    /* clang mostly repeats gcc's warnings: its own are shown when gcc had none */
    int w = count_warnings(b->log);
    if (w && !G->warnings) {
        sb_addf(&c->detail, "  %s: %d warning%s (not fatal, but read them: they often point at the bug):\n",
                compiler, w, w == 1 ? "" : "s");
        add_log(G, &c->detail, b->log, compiler);
        G->warnings = w;
    }
    if (c->status == CS_FAILED)
        return;
    if (G->warnings)
        set_check(G, CHK_COMPILE, CS_PASSED, "compiles, with %d warning%s (not fatal)", G->warnings,
                  G->warnings == 1 ? "" : "s");
    else
        set_check(G, CHK_COMPILE, CS_PASSED, "compiles without warnings");
}

/* ---- symbols ---- */

static void scan_symbols(Grader *G)
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
        cheats_scan_symbols(r.out, &G->g->cheats);
    else
        warnf("nm failed on %s: %s", G->native_exe, r.err ? r.err : proc_status_name(r.status));
    proc_result_free(&r);
    strvec_clear(&argv);
}

/* ---- native runs: the answer, the threads, the time ---- */

static int count_tags(const char *err, const char *tag)
{
    int n = 0;
    for (const char *p = err ? strstr(err, tag) : NULL; p; p = strstr(p + 1, tag))
        n++;
    return n;
}

static void answer_bad(Grader *G, const char *where, const char *why, bool wrong_value)
{
    G->answer_bad++;
    G->wrong_value = G->wrong_value || wrong_value;
    if (starts_with(why, "run 1 of 1: "))
        why += strlen("run 1 of 1: "); /* one run per lab job here */
    if (!G->answer_why)
        G->answer_why = xasprintf("%s: %s", where, why);
}

typedef struct {
    bool handout_right;      /* right with the handout's values */
    bool repeats_handout;    /* printed the handout's answer for other inputs */
    char *repeat_where;
    int zero_threads, counted;
    StrBuf counts; /* "2, 8, 5" */
    bool thread_fail, uncountable, trigger_hung;
} NativeSeen;

static void native_run(Grader *G, int i, const Params *ps, const Params *handout, NativeSeen *ns)
{
    const CaseSpec *s = G->o->spec;
    char *pt = params_text(ps);
    char *where = xasprintf("native run %d (%s)", i + 1, pt);
    sb_addf(&G->runs_text, "native %d: %s%s\n", i + 1, pt, i == 0 ? " (the handout's values)" : "");
    LabResult r;
    run_job(G, TOOL_NATIVE, ps, &r);
    if (i == 0) {
        if (r.build.ok)
            G->native_exe = xstrdup(r.build.exe);
        judge_build(G, &r.build, "gcc");
    }
    if (!r.build.ok || !r.nruns) {
        lab_result_free(&r);
        free(pt), free(where);
        return;
    }
    const RunOutcome *o = &r.runs[0];
    if (o->status == RUN_TIMEOUT || o->status == RUN_DEADLOCK) {
        G->hung = G->native_stuck = true;
        sb_addf(&chk(G, CHK_TIME)->detail, "  %s: %s\n", where, o->error);
    }
    G->native_stuck = G->native_stuck || o->proc.status == PROC_FLOOD; /* the tools would flood too */
    G->answer_runs++;
    if (o->status != RUN_OK) {
        answer_bad(G, where, r.note ? r.note : o->error, false);
    } else if (r.verdict == V_ERROR || r.verdict == V_TIMEOUT || r.verdict == V_DEADLOCK) {
        /* the hang trigger of a deadlock case: one hang is enough evidence */
        answer_bad(G, where, r.note ? r.note : "the run failed", false);
        ns->trigger_hung = r.verdict != V_ERROR;
        G->hung = G->hung || ns->trigger_hung;
        if (ns->trigger_hung)
            sb_addf(&chk(G, CHK_TIME)->detail, "  %s: %s\n", where, r.note ? r.note : "hung");
    } else if (o->wrong_answer) {
        answer_bad(G, where, o->wrong_answer, true);
        char *h = NULL;
        if (i > 0 && oracle_check(s, handout, o->proc.out, &h) && !ns->repeats_handout) {
            char *mine = expected_line(s, ps), *theirs = expected_line(s, handout);
            if (strcmp(mine, theirs) != 0) {
                ns->repeats_handout = true;
                ns->repeat_where = xasprintf("with %s it still printed '%s'", pt, theirs);
            }
            free(mine), free(theirs);
        }
        free(h);
    } else if (i == 0) {
        ns->handout_right = true;
    }
    /* threads, counted by the shim, never taken from the program's output */
    if (o->status == RUN_OK && s->creates) {
        long long want = 0;
        char *err = NULL;
        spec_creates(s, ps, &want, &err);
        free(err);
        int got = count_tags(o->proc.err, G->tag);
        sb_addf(&ns->counts, "%s%d", ns->counts.len ? ", " : "", got);
        if (o->proc.err_cut && got < want) {
            ns->uncountable = true;
        } else if (got != want) {
            if (!ns->thread_fail)
                sb_addf(&chk(G, CHK_THREADS)->detail, "  %s: created %d thread%s; the case calls for %lld (creates: %s)\n",
                        where, got, got == 1 ? "" : "s", want, s->creates);
            ns->thread_fail = true;
        }
        ns->zero_threads += got == 0 && want > 0;
        ns->counted++;
    }
    lab_result_free(&r);
    free(pt), free(where);
}

/* Expected answers that are written in the source: a cheat only when the
 * program printed the handout's answer for other inputs too. */
static void check_hard_coded(Grader *G, const Params *handout, NativeSeen *ns)
{
    if (!ns->handout_right || !ns->repeats_handout)
        return;
    char *line = expected_line(G->o->spec, handout);
    int at = 0;
    char digits[64];
    for (const char *p = line; *p && !at; p++) {
        size_t n = strspn(p, "0123456789");
        if (n >= 2 && n < sizeof digits) { /* "0" and "1" are everywhere */
            memcpy(digits, p, n);
            digits[n] = '\0';
            at = source_find_number(G->sub->text, G->sub->len, digits);
        }
        p += n ? n - 1 : 0;
    }
    char *pt = params_text(handout);
    if (at)
        cheat_add(&G->g->cheats, "hard-coded", at,
                  "line %d writes %s, the answer for the handout's inputs (%s) only; %s", at, digits, pt,
                  ns->repeat_where);
    else
        sb_addf(&chk(G, CHK_ANSWER)->detail, "  It prints '%s' (the handout's answer) whatever the input: the "
                "answer must be computed by the threads.\n", line);
    free(pt);
    free(line);
}

static void native_phase(Grader *G)
{
    const CaseSpec *s = G->o->spec;
    Params handout = params_copy(&s->params);
    char *h_line = expected_line(s, &handout);
    NativeSeen ns = {.counts = STRBUF_INIT};
    for (int i = 0; i <= NATIVE_DRAWN && !G->native_stuck; i++) {
        Params ps = i == 0 ? params_copy(&handout) : draw(G, false);
        for (int k = 0; i > 0 && k < 8; k++) { /* inputs whose answer differs from the handout's */
            char *l = expected_line(s, &ps);
            bool same = !strcmp(l, h_line);
            free(l);
            if (!same)
                break;
            params_free(&ps);
            ps = draw(G, false);
        }
        native_run(G, i, &ps, &handout, &ns);
        params_free(&ps);
        if (chk(G, CHK_COMPILE)->status == CS_FAILED || ns.trigger_hung)
            break;
    }
    if (chk(G, CHK_COMPILE)->status != CS_FAILED) {
        check_hard_coded(G, &handout, &ns);
        if (s->creates && ns.counted && ns.zero_threads == ns.counted)
            cheat_add(&G->g->cheats, "no-threads", 0, "the program created no thread in %d runs (the grader "
                      "counts pthread_create calls; the case's creates: %s)", ns.counted, s->creates);
        if (s->creates && !ns.counted)
            set_check(G, CHK_THREADS, CS_FAILED, "could not count the threads: no run finished");
        else if (s->creates && ns.thread_fail)
            set_check(G, CHK_THREADS, CS_FAILED, "created %s threads in the %d runs, not what the case calls "
                      "for (%s)", ns.counts.buf, ns.counted, s->creates);
        else if (s->creates && ns.uncountable)
            set_check(G, CHK_THREADS, CS_FAILED, "could not count the threads: more than 1 MiB on stderr");
        else if (s->creates)
            set_check(G, CHK_THREADS, CS_PASSED, "created %s threads in the %d runs, as the case calls for (%s); "
                      "counted by the grader", ns.counts.buf, ns.counted, s->creates);
    }
    sb_free(&ns.counts);
    free(ns.repeat_where);
    free(h_line);
    params_free(&handout);
}

/* ---- detectors ---- */

static const char *tool_title(ToolId t)
{
    static const char *const n[] = {"TSan", "Helgrind", "DRD", "memcheck", "native"};
    return n[t];
}

static bool is_race_kind(const char *k)
{
    return !strcmp(k, "data-race") || !strcmp(k, "Race") || !strcmp(k, "ConflictingAccess");
}

static bool at_thread_create(const Finding *f)
{
    if (!strcmp(f->kind, "thread-leak"))
        return true;
    for (size_t i = 0; i < f->nstacks; i++)
        for (size_t k = 0; k < f->stacks[i].n; k++)
            if (f->stacks[i].frames[k].fn && starts_with(f->stacks[i].frames[k].fn, "pthread_create"))
                return true;
    return false;
}

static char *source_line(Grader *G, int line)
{
    const char *p = G->sub->text, *end = p + G->sub->len;
    for (int l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = (size_t)((nl ? nl : end) - p);
    while (len && (*p == ' ' || *p == '\t'))
        p++, len--;
    return printable(p, len > 120 ? 120 : len);
}

/* One finding: tool, kind, variable, each location as a line of the
 * student's file with its text. */
static void describe_finding(Grader *G, const Finding *f, StrBuf *out)
{
    sb_addf(out, "  %s: %s", tool_title(f->tool), feedback_kind_phrase(f->kind));
    if (f->var)
        sb_addf(out, " on '%s'", f->var);
    int lines[8], nl = 0;
    const char *sep = " at ";
    for (size_t i = 0; i < f->nstacks && nl < 8; i++) {
        if (!f->stacks[i].is_location)
            continue;
        const Frame *fr = stack_user_frame(&f->stacks[i], &G->ss);
        if (!fr)
            continue;
        if (fr->line > 0)
            sb_addf(out, "%sline %d", sep, fr->line);
        else
            sb_addf(out, "%san unknown line", sep);
        if (fr->fn)
            sb_addf(out, " (in %s)", fr->fn);
        sep = " vs ";
        bool dup = false;
        for (int k = 0; k < nl; k++)
            dup = dup || lines[k] == fr->line;
        if (!dup && fr->line > 0)
            lines[nl++] = fr->line;
    }
    if (!strcmp(sep, " at ") && f->message) {
        char *m = printable(f->message, strlen(f->message));
        sb_addf(out, " (%s; no line of your file in its stacks)", m);
        free(m);
    }
    sb_add(out, "\n");
    for (int k = 0; k < nl; k++) {
        char *t = source_line(G, lines[k]);
        sb_addf(out, "      %4d | %s\n", lines[k], t);
        free(t);
    }
}

static void describe_report(Grader *G, const Report *rep, StrBuf *out, const char *check)
{
    const char *here[16]; /* explanations this check has dealt with */
    size_t nhere = 0;
    for (size_t i = 0; i < rep->n; i++) {
        if (i < SHOWN_FINDINGS)
            describe_finding(G, &rep->items[i], out);
        else if (i == SHOWN_FINDINGS)
            sb_addf(out, "  ... and %zu more\n", rep->n - SHOWN_FINDINGS);
    }
    for (size_t i = 0; i < rep->n; i++) {
        bool tc = at_thread_create(&rep->items[i]);
        const char *ex = feedback_explain(rep->items[i].kind, tc);
        bool done = false;
        for (size_t h = 0; h < nhere; h++)
            done = done || here[h] == ex;
        if (done || nhere == ARRAY_LEN(here))
            continue;
        here[nhere++] = ex;
        size_t k = 0;
        while (k < G->nsaid && G->said[k].text != ex)
            k++;
        if (k < G->nsaid) {
            if (strcmp(G->said[k].check, check) != 0)
                sb_addf(out, "  What it means, and a hint: as under '%s'.\n", G->said[k].check);
            continue;
        }
        if (G->nsaid < ARRAY_LEN(G->said))
            G->said[G->nsaid++] = (Said){ex, check};
        sb_addf(out, "  What it means: %s\n", ex);
        sb_addf(out, "  Hint: %s\n", feedback_hint(G->o->spec->klass, rep->items[i].kind, tc));
    }
}

static void detector(Grader *G, ToolId tool, CheckId id, bool tsan_clean)
{
    Params ps = draw(G, true);
    char *pt = params_text(&ps);
    sb_addf(&G->runs_text, "%s: %s\n", tool_name(tool), pt);
    LabResult r;
    run_job(G, tool, &ps, &r);
    Check *c = chk(G, id);
    if (tool == TOOL_TSAN)
        judge_build(G, &r.build, "clang -fsanitize=thread");
    if (!r.build.ok) {
        set_check(G, id, CS_FAILED, "could not be built for %s", tool_title(tool));
    } else if (r.nruns) {
        const RunOutcome *o = &r.runs[0];
        char *where = xasprintf("under %s (%s)", tool_title(tool), pt);
        if (o->wrong_answer) /* lab_run checked the answer of every finished run */
            answer_bad(G, where, o->wrong_answer, true);
        G->answer_runs += o->answer_checked;
        bool races_only = o->report.n > 0;
        for (size_t i = 0; i < o->report.n; i++)
            races_only = races_only && is_race_kind(o->report.items[i].kind);
        if (o->status == RUN_TIMEOUT || o->status == RUN_DEADLOCK) {
            G->hung = true;
            sb_addf(&chk(G, CHK_TIME)->detail, "  %s: %s\n", where, o->error);
            set_check(G, id, CS_FAILED, "did not finish under %s", tool_title(tool));
        } else if (o->status != RUN_OK) {
            char *e = printable(o->error, strlen(o->error));
            set_check(G, id, CS_FAILED, "%s could not check it: %s", tool_title(tool), e);
            free(e);
        } else if (!o->report.n) {
            set_check(G, id, CS_PASSED, "no findings");
        } else if (races_only && tool != TOOL_TSAN && tsan_clean && G->g->facts.uses_atomics && !G->answer_bad) {
            /* the policy on a tool's limits (docs/grade.md) */
            set_check(G, id, CS_PASSED, "%zu race report%s not counted: a tool limitation with C11 atomics",
                      o->report.n, o->report.n == 1 ? "" : "s");
            sb_addf(&c->detail, "  Not counted: %s does not understand C11 atomics (acquire/release), so it "
                    "reports races on the data they publish. TSan, which does, found none, and every answer "
                    "was right.\n", tool_title(tool));
            describe_report(G, &o->report, &c->detail, check_name(id));
            free(G->g->policy);
            G->g->policy = xstrdup("Helgrind/DRD race reports not counted: the program uses C11 atomics, "
                                   "TSan is clean and every answer is right");
        } else {
            set_check(G, id, CS_FAILED, "%zu finding%s", o->report.n, o->report.n == 1 ? "" : "s");
            describe_report(G, &o->report, &c->detail, check_name(id));
        }
        free(where);
    }
    lab_result_free(&r);
    params_free(&ps);
    free(pt);
}

/* ---- scoring ---- */

static void finish_answer(Grader *G)
{
    Check *a = chk(G, CHK_ANSWER);
    if (!G->answer_bad) {
        set_check(G, CHK_ANSWER, CS_PASSED, "right in all %d runs", G->answer_runs);
        return;
    }
    set_check(G, CHK_ANSWER, CS_FAILED, "wrong in %d of %d runs", G->answer_bad, G->answer_runs);
    char *w = printable(G->answer_why, strlen(G->answer_why));
    StrBuf head = STRBUF_INIT;
    sb_addf(&head, "  %s\n", w);
    if (G->wrong_value)
        sb_addf(&head, "  Hint: %s\n", feedback_wrong_answer_hint(G->o->spec->klass));
    sb_add(&head, a->detail.buf ? a->detail.buf : "");
    sb_free(&a->detail);
    a->detail = head;
    free(w);
}

static void score(GradeResult *g)
{
    Check *m = &g->checks[CHK_MEMCHECK], *t = &g->checks[CHK_THREADS], *a = &g->checks[CHK_ANSWER];
    /* points of a check the case does not need go to the answer */
    if (m->status == CS_NA)
        a->max += m->max, m->max = 0;
    if (t->status == CS_NA)
        a->max += t->max, t->max = 0;
    g->score = g->max = 0;
    for (int i = 0; i < CHK_COUNT; i++) {
        Check *c = &g->checks[i];
        c->points = c->status == CS_PASSED ? c->max : 0;
        g->score += c->points;
        g->max += c->max;
    }
    if (g->cheats.n || g->rejected)
        g->score = 0;
}

void grade_submission(const GradeOptions *o, const Submission *sub, GradeResult *g)
{
    memset(g, 0, sizeof *g);
    double t0 = now_seconds();
    Grader G = {.o = o, .sub = sub, .g = g, .runs_text = STRBUF_INIT, .cflags = STRVEC_INIT};
    G.rng = o->seeded ? o->seed : 0;
    if (!o->seeded && getrandom(&G.rng, sizeof G.rng, 0) != (ssize_t)sizeof G.rng)
        G.rng = (unsigned long long)now_seconds() ^ (unsigned long long)getpid();
    for (int i = 0; i < CHK_COUNT; i++) {
        g->checks[i].max = check_info[i].points;
        g->checks[i].status = CS_SKIPPED;
        sb_init(&g->checks[i].detail);
    }
    if (o->spec->tools[TOOL_MEMCHECK].blind)
        set_check(&G, CHK_MEMCHECK, CS_NA, "not needed: memcheck is blind to this class (%s)",
                  o->spec->tools[TOOL_MEMCHECK].why);
    if (!o->spec->creates)
        set_check(&G, CHK_THREADS, CS_NA, "not needed: the case has no creates: line");
    for (size_t i = 0; i < sub->cheats.n; i++) { /* seen around the file, by the intake */
        const Cheat *c = &sub->cheats.items[i];
        Cheat copy = {xstrdup(c->id), c->line, xstrdup(c->message)};
        PUSH(g->cheats.items, g->cheats.n, g->cheats.cap, copy);
    }
    if (sub->rejected) {
        g->rejected = xstrdup(sub->rejected);
    } else if (setup(&G)) {
        cheats_scan_source(sub->text, sub->len, &g->cheats, &g->facts);
        native_phase(&G);
        if (chk(&G, CHK_COMPILE)->status == CS_FAILED) {
            skip_from(&G, CHK_TSAN, "the program does not compile");
        } else {
            scan_symbols(&G);
            bool tsan_clean = false;
            static const ToolId tools[] = {TOOL_TSAN, TOOL_HELGRIND, TOOL_DRD, TOOL_MEMCHECK};
            for (size_t i = 0; i < ARRAY_LEN(tools); i++) {
                CheckId id = (CheckId)(CHK_TSAN + i);
                if (chk(&G, id)->status == CS_NA)
                    continue;
                if (G.native_stuck) {
                    set_check(&G, id, CS_SKIPPED, "not run: the program does not finish on its own");
                    continue;
                }
                detector(&G, tools[i], id, tsan_clean);
                if (tools[i] == TOOL_TSAN)
                    tsan_clean = chk(&G, id)->status == CS_PASSED;
            }
            finish_answer(&G);
            if (G.hung)
                set_check(&G, CHK_TIME, CS_FAILED, "a run did not finish within its limit");
            else
                set_check(&G, CHK_TIME, CS_PASSED, "every run finished (limits: %.0f s native, %.0f s TSan, "
                          "%.0f s Valgrind)", NATIVE_TIMEOUT, TSAN_TIMEOUT, VALGRIND_TIMEOUT);
        }
    }
    if (g->rejected)
        skip_from(&G, CHK_COMPILE, "the submission could not be graded");
    g->runs_text = sb_steal(&G.runs_text);
    teardown(&G);
    score(g);
    g->seconds = now_seconds() - t0;
}

void grade_result_free(GradeResult *g)
{
    for (int i = 0; i < CHK_COUNT; i++) {
        free(g->checks[i].summary);
        sb_free(&g->checks[i].detail);
    }
    cheats_free(&g->cheats);
    free(g->rejected), free(g->runs_text), free(g->sandbox), free(g->policy);
    memset(g, 0, sizeof *g);
}

void submission_free(Submission *s)
{
    free(s->display), free(s->text), free(s->rejected);
    cheats_free(&s->cheats);
    memset(s, 0, sizeof *s);
}
