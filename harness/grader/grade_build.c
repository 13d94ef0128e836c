/* The builds (native for Valgrind, TSan, explore), the compile item with
 * the compilers' words under the student's file name, and the scan for
 * cheats: the submission preprocessed and compiled on its own, against
 * the case's allow-list (made from the case's handout and fix, the same
 * way). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "allow.h"
#include "fs.h"
#include "grade_internal.h"
#include "lab.h"
#include "log.h"
#include "scan.h"
#include "text.h"
#include "toolpaths.h"
#include "tu.h"
#include "utf8.h"

/* The build phase at work: what it reads, and its result. */
typedef struct {
    const GradeEnv *env;
    BuildPhase *out;
    AllowList allow;
    int warnings;
} Builder;

/* The compiler's log with the scratch path written as the student's name. */
static void add_log(const GradeEnv *env, StrBuf *out, const char *log, const char *compiler)
{
    char *text = student_text(env, log);
    int lines = 0;
    const char *pos = text, *line;
    size_t len;
    while (next_line(&pos, &line, &len))
        if (lines++ < SHOWN_LOG_LINES)
            sb_addf(out, "    %.*s\n", (int)len, line);
    if (lines > SHOWN_LOG_LINES)
        sb_addf(out, "    ... (%d more lines from %s)\n", lines - SHOWN_LOG_LINES, compiler);
    free(text);
}

static int count_warnings(const char *log)
{
    int n = 0;
    for (const char *p = log ? strstr(log, "warning:") : NULL; p; p = strstr(p + 1, "warning:"))
        n++;
    return n;
}

static bool build(Builder *B, BuildKind k)
{
    StrVec src = STRVEC_INIT;
    strvec_push(&src, B->env->src);
    BuildSpec bs = {
        .sources = &src, .kind = k, .cache_dir = B->env->cache, .wrapper = B->env->build_wrap, .uncached = true};
    build_program(&bs, &B->out->builds[k]);
    strvec_clear(&src);
    return B->out->builds[k].ok;
}

/* The compile item: every build must succeed; gcc's warnings are shown
 * (clang's, when gcc had none: it mostly repeats them). */
static bool judge_builds(Builder *B)
{
    static const struct {
        BuildKind kind;
        const char *compiler;
    } order[] = {{BUILD_NATIVE, "gcc"}, {BUILD_TSAN, "clang -fsanitize=thread"}, {BUILD_EXPLORE, "clang (explore)"}};
    GradeItem *c = &B->out->compile;
    for (size_t i = 0; i < ARRAY_LEN(order); i++) {
        const BuildResult *b = &B->out->builds[order[i].kind];
        if (!b->ok) {
            sb_addf(&c->detail, "  %s says:\n", order[i].compiler);
            add_log(B->env, &c->detail, b->log, order[i].compiler);
            item_set(c, IS_FAILED, "does not compile with %s", order[i].compiler);
            return false;
        }
        int w = count_warnings(b->log);
        if (w && !B->warnings) {
            sb_addf(&c->detail, "  %s: %d warning%s (not fatal, but read them: they often point at the bug):\n",
                    order[i].compiler, w, w == 1 ? "" : "s");
            add_log(B->env, &c->detail, b->log, order[i].compiler);
            B->warnings = w;
        }
    }
    if (B->warnings)
        item_set(c, IS_PASSED, "compiles, with %d warning%s (not fatal)", B->warnings, B->warnings == 1 ? "" : "s");
    else
        item_set(c, IS_PASSED, "compiles without warnings");
    return true;
}

/* A source preprocessed and compiled alone into dir (as name.i, name.o).
 * wrap: the sandbox, for a submission; NULL for the lab's own files. */
static bool translate(const GradeEnv *env, const char *source, const char *name, char **wrap, char **tu, size_t *tu_len,
                      char **obj)
{
    BuildSpec bs = {.kind = BUILD_NATIVE, .wrapper = wrap, .cflags = NULL};
    char *i_path = xasprintf("%s/%s.i", env->scan_dir, name), *log = NULL;
    *obj = xasprintf("%s/%s.o", env->scan_dir, name);
    bool ok = build_unit(&bs, source, BUILD_PREPROCESS, i_path, &log);
    free(log);
    log = NULL;
    ok = ok && build_unit(&bs, source, BUILD_OBJECT, *obj, &log);
    free(log);
    *tu = ok ? read_file(i_path, 64u << 20, tu_len, NULL) : NULL;
    free(i_path);
    return ok && *tu;
}

/* The case's allow-list: the baseline, what its handout and its fix use,
 * and its header's allow: line. */
/* The lab's own file translated once for every grade of a batch: into
 * the work dir's lab cache, named by its content (trusted files: no
 * sandbox). */
static bool translate_lab(const GradeEnv *env, const char *path, char **tu, size_t *len, char **obj)
{
    size_t n = 0;
    char *text = read_file(path, 4u << 20, &n, NULL);
    if (!text)
        return false;
    unsigned long long h = (unsigned long long)fnv1a(text, n, FNV_INIT);
    free(text);
    char *stem = xasprintf("%s/allow-%016llx", env->lab_cache, h), *i_path = xasprintf("%s.i", stem);
    *obj = xasprintf("%s.o", stem);
    bool ok = file_exists(i_path) && file_exists(*obj);
    if (!ok) { /* made under private names, renamed whole: grades run in parallel */
        char *ti = xasprintf("%s.%d.i", stem, (int)getpid()), *to = xasprintf("%s.%d.o", stem, (int)getpid());
        char *log = NULL, *log2 = NULL;
        BuildSpec bs = {.kind = BUILD_NATIVE};
        ok = build_unit(&bs, path, BUILD_PREPROCESS, ti, &log) && build_unit(&bs, path, BUILD_OBJECT, to, &log2) &&
             rename(ti, i_path) == 0 && rename(to, *obj) == 0;
        unlink(ti), unlink(to);
        free(ti), free(to), free(log), free(log2);
    }
    *tu = ok ? read_file(i_path, 64u << 20, len, NULL) : NULL;
    free(stem), free(i_path);
    return ok && *tu;
}

static void make_allow_list(Builder *B)
{
    allow_init(&B->allow);
    const CaseSpec *s = B->env->o->spec;
    for (int v = 0; v < 2; v++) {
        char *path = lab_case_path(B->env->o->root, s->name, (Variant)v);
        char *tu = NULL, *obj = NULL;
        size_t len = 0;
        if (file_exists(path) && translate_lab(B->env, path, &tu, &len, &obj)) {
            allow_object(&B->allow, obj);
            allow_tu(&B->allow, tu, len, path);
        } else if (file_exists(path)) {
            warnf("cannot compile the case's own %s for its allow-list", path);
        }
        free(tu), free(obj), free(path);
    }
    if (s->allow)
        allow_words(&B->allow, s->allow);
}

/* The submission preprocessed by clang as its TSan build and its explore
 * build see it, and without the sanitizer (into *tsan_tu: the first). */
static void clang_units(const GradeEnv *env, char *tu[3], size_t len[3])
{
    for (int k = 0; k < 3; k++) {
        char *out = xasprintf("%s/clang-%d.i", env->scan_dir, k), *log = NULL;
        tu[k] = NULL, len[k] = 0;
        if (k < 2) {
            BuildSpec bs = {.kind = k == 0 ? BUILD_TSAN : BUILD_EXPLORE, .wrapper = env->build_wrap};
            if (build_unit(&bs, env->src, BUILD_PREPROCESS, out, &log))
                tu[k] = read_file(out, 64u << 20, &len[k], NULL);
        } else {
            StrVec cmd = STRVEC_INIT;
            strvec_pushv(&cmd, env->build_wrap);
            strvec_push(&cmd, tool_paths.clang);
            strvec_push_words(&cmd, "-g -O0 -Wall -Wextra -pthread -E -x c");
            strvec_push(&cmd, env->src);
            strvec_push(&cmd, "-o");
            strvec_push(&cmd, out);
            ProcSpec ps = {.argv = cmd.v, .timeout = 60, .keep = 64 * 1024};
            ProcResult pr;
            proc_run(&ps, &pr);
            if (pr.status == PROC_EXITED && pr.code == 0)
                tu[k] = read_file(out, 64u << 20, &len[k], NULL);
            proc_result_free(&pr);
            strvec_clear(&cmd);
        }
        free(log), free(out);
    }
}

/* Its own lines must read the same in every clang build: the TSan build
 * (-O1) and the explore build (-O0) alike (`__OPTIMIZE__`), with the
 * sanitizer and without (`__has_feature(thread_sanitizer)`,
 * `__SANITIZE_THREAD__`); else it behaves only when watched, or only when
 * TSan watches. gcc's unit is scanned too, and clang's TSan unit (a
 * `#ifdef __clang__` hides nothing). */
static void same_in_every_build(Builder *B)
{
    const GradeEnv *env = B->env;
    char *tu[3];
    size_t len[3];
    clang_units(env, tu, len);
    static const char *const what[] = {"for ThreadSanitizer (-O1) and for explore (-O0)",
                                       "with ThreadSanitizer's instrumentation and without"};
    for (int k = 0; k < 2; k++) {
        int line = tu[k] && tu[k + 1] ? tu_first_difference(tu[k], len[k], tu[k + 1], len[k + 1], env->src) : 0;
        if (line) {
            cheat_add(&B->out->cheats, "build-dependent", line, "line %d reads differently when clang builds it %s",
                      line, what[k]);
            break;
        }
    }
    if (tu[0])
        scan_tu(tu[0], len[0], env->src, &B->allow, &B->out->cheats);
    else
        warnf("cannot preprocess %s with clang although it builds", env->sub->display);
    for (int k = 0; k < 3; k++)
        free(tu[k]);
}

static void scan(Builder *B)
{
    const GradeEnv *env = B->env;
    int at = source_line_directive(env->sub->text, env->sub->len);
    if (at)
        cheat_add(&B->out->cheats, "line-directive", at,
                  "line %d is a #line directive: after it the compiler credits the lines to another file", at);
    make_allow_list(B);
    char *tu = NULL, *obj = NULL;
    size_t len = 0;
    if (translate(env, env->src, "submission", env->build_wrap, &tu, &len, &obj)) {
        scan_tu(tu, len, env->src, &B->allow, &B->out->cheats);
        scan_object(obj, &B->allow, &B->out->cheats, &B->out->rejected);
        same_in_every_build(B);
    } else {
        warnf("cannot preprocess %s alone although it builds", env->sub->display);
    }
    B->out->uses_atomics = object_uses_atomics(B->out->builds[BUILD_EXPLORE].exe);
    free(tu), free(obj);
}

void build_phase(const GradeEnv *env, BuildPhase *out)
{
    memset(out, 0, sizeof *out);
    out->compile = grade_item_new();
    Builder B = {.env = env, .out = out};
    /* one after the other, stopping at the first that fails: a file that
     * takes a compiler to its limit costs that limit once */
    if (build(&B, BUILD_NATIVE) && build(&B, BUILD_TSAN))
        build(&B, BUILD_EXPLORE);
    out->ok = judge_builds(&B);
    if (out->ok) {
        scan(&B);
        allow_free(&B.allow);
    }
}

void build_phase_free(BuildPhase *b)
{
    grade_item_free(&b->compile);
    for (int k = 0; k < BUILD_KIND_COUNT; k++)
        build_result_free(&b->builds[k]);
    cheats_free(&b->cheats);
    free(b->rejected);
    memset(b, 0, sizeof *b);
}
