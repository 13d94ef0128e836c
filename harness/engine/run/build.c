#include "build.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "depcache.h"
#include "fs.h"
#include "proc.h"
#include "strbuf.h"
#include "strvec.h"
#include "text.h"
#include "toolpaths.h"

/* No -std: the compilers' default GNU dialect (gnu17, gnu++17), so that
 * inline asm and typeof compile; --cflags may choose another. */
static char *const common_flags[] = {"-Wall", "-Wextra", "-pthread", NULL};
static char *const tsan_flags[] = {"-fsanitize=thread", "-g", "-O1", "-fno-omit-frame-pointer", NULL};
static char *const native_flags[] = {"-g", "-O0", NULL};
/* TSan's instrumentation, not its runtime: the explore runtime takes its
 * calls. -O0 keeps every access the source writes (at -O1 a loop of
 * `counter += 1` becomes one addition, and its race one window). */
static char *const explore_flags[] = {"-fsanitize=thread", "-fno-sanitize-link-runtime", "-g", "-O0",
                                      "-fno-omit-frame-pointer", NULL};

/* A cached binary's name: a readable stem, bounded (a file name of 250
 * bytes must not make the cache's name too long) and plain ASCII. */
#define STEM_MAX 40

static char *const build_env[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "TMPDIR=/tmp", NULL};

BuildKind build_kind_for(ToolId tool)
{
    return tool == TOOL_TSAN ? BUILD_TSAN : tool == TOOL_EXPLORE ? BUILD_EXPLORE : BUILD_NATIVE;
}

const char *build_kind_name(BuildKind k)
{
    return k == BUILD_TSAN ? "tsan" : k == BUILD_EXPLORE ? "explore" : "native";
}

bool source_is_cxx(const char *path)
{
    static const char *const exts[] = {".cc", ".cpp", ".cxx", ".c++", ".C", ".cp", ".CPP"};
    for (size_t i = 0; i < ARRAY_LEN(exts); i++)
        if (ends_with(path, exts[i]))
            return true;
    return false;
}

static const char *compiler(BuildKind k, bool cxx)
{
    if (k == BUILD_TSAN || k == BUILD_EXPLORE)
        return cxx ? tool_paths.clangxx : tool_paths.clang;
    return cxx ? tool_paths.cxx : tool_paths.cc;
}

typedef struct {
    bool any_cxx, mixed;
} Langs;

static Langs languages(const StrVec *sources)
{
    size_t cxx = 0;
    for (size_t i = 0; i < sources->n; i++)
        cxx += source_is_cxx(sources->v[i]);
    return (Langs){cxx > 0, cxx > 0 && cxx < sources->n};
}

static bool is_input_file(const char *arg)
{
    struct stat st;
    return arg[0] != '-' && stat(arg, &st) == 0 && S_ISREG(st.st_mode);
}

/* An option whose argument is the next word: that word is not an input
 * file even when it names one (-include cfg.h). */
static bool takes_argument(const char *opt)
{
    static const char *const with_arg[] = {"-include",  "-imacros",      "-I",          "-isystem", "-iquote",
                                           "-idirafter", "-iprefix",     "-iwithprefix", "-isysroot", "--sysroot",
                                           "-Xclang",    "-Xpreprocessor", "-MF",         "-MT",      "-MQ",
                                           "-D",         "-U",           "-x"};
    for (size_t i = 0; i < ARRAY_LEN(with_arg); i++)
        if (!strcmp(opt, with_arg[i]))
            return true;
    return false;
}

/* The flags before the sources: the tool's, the common ones, the user's.
 * A file among the user's flags is an input (grade links its shim that
 * way): left out where only flags belong (preprocessing one source). */
static void push_flags(StrVec *v, const BuildSpec *s, bool flags_only)
{
    strvec_pushv(v, s->kind == BUILD_TSAN ? tsan_flags : s->kind == BUILD_EXPLORE ? explore_flags : native_flags);
    strvec_pushv(v, common_flags);
    for (size_t i = 0; s->cflags && i < s->cflags->n; i++)
        if (!flags_only || !is_input_file(s->cflags->v[i]) || (i > 0 && takes_argument(s->cflags->v[i - 1])))
            strvec_push(v, s->cflags->v[i]);
}

/* The compile-and-link command (without the wrapper): C++ sources make
 * the C++ driver link; mixed with C, each source says its language. */
static void link_argv(StrVec *v, const BuildSpec *s, Langs l, const char *out)
{
    strvec_push(v, compiler(s->kind, l.any_cxx));
    push_flags(v, s, false);
    for (size_t i = 0; i < s->sources->n; i++) {
        if (l.mixed) {
            strvec_push(v, "-x");
            strvec_push(v, source_is_cxx(s->sources->v[i]) ? "c++" : "c");
        }
        strvec_push(v, s->sources->v[i]);
    }
    if (l.mixed)
        strvec_push_words(v, "-x none"); /* ldflags are not sources */
    if (s->ldflags)
        strvec_pushv(v, s->ldflags->v);
    if (s->kind == BUILD_EXPLORE) { /* after the user's libraries: the explore runtime */
        strvec_pushf(v, "-L%s", runtime_dir());
        strvec_pushf(v, "-Wl,-rpath,%s", runtime_dir());
        strvec_push(v, "-lracelab-explore");
    }
    if (out) {
        strvec_push(v, "-o");
        strvec_push(v, out);
    }
}

/* Runs a compiler command (through the wrapper); its output in *log. */
static bool run_compiler(const BuildSpec *s, const StrVec *cmd, StrBuf *log)
{
    StrVec argv = STRVEC_INIT;
    strvec_pushv(&argv, s->wrapper);
    strvec_pushv(&argv, cmd->v);
    ProcSpec ps = {.argv = argv.v, .envp = build_env, .timeout = 120, .keep = 256 * 1024, .flood = 16 << 20};
    ProcResult pr;
    proc_run(&ps, &pr);
    sb_addn(log, pr.err, pr.errlen);
    sb_addn(log, pr.out, pr.outlen);
    bool ok = pr.status == PROC_EXITED && pr.code == 0;
    if (pr.status == PROC_SPAWN_FAILED)
        sb_addf(log, "racelab: %s\n", pr.why);
    else if (pr.status != PROC_EXITED)
        sb_addf(log, "racelab: the compiler did not finish: %s\n", pr.why ? pr.why : proc_status_name(pr.status));
    proc_result_free(&pr);
    strvec_clear(&argv);
    return ok;
}

/* The identity of the file a compiler path names: its device, inode, size
 * and times (a new compiler installed there changes them all). "" if it
 * cannot be read. */
static void compiler_identity(const char *path, char *id, size_t n)
{
    struct stat st;
    char *real = realpath(path, NULL);
    id[0] = '\0';
    if (real && stat(real, &st) == 0)
        snprintf(id, n, "%s %llu %llu %lld %lld.%09ld %lld.%09ld", real, (unsigned long long)st.st_dev,
                 (unsigned long long)st.st_ino, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                 st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
    free(real);
}

/* The compiler's identity and its `--version`, asked once per compiler:
 * remembered in this process, and in the cache directory under the file's
 * identity, so that the next racelab need not start clang (0.1 s) to
 * learn what it already knows. Both go into the cache key. */
static const char *compiler_version(const char *path, const char *cache_dir)
{
    static char **paths, **versions;
    static size_t n, cap, vcap;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(paths[i], path))
            return versions[i];
    char id[PATH_MAX + 160];
    compiler_identity(path, id, sizeof id);
    char *memo = id[0] && cache_dir ? xasprintf("%s/compiler-%016llx.version", cache_dir,
                                                 (unsigned long long)fnv1a(path, strlen(path), FNV_INIT))
                                    : NULL;
    char *v = NULL;
    size_t len = 0, idlen = strlen(id);
    char *text = memo ? read_file(memo, 1 << 20, &len, NULL) : NULL;
    if (text && len > idlen && !memcmp(text, id, idlen) && text[idlen] == '\n')
        v = text; /* the identity and the words: a compiler reinstalled is another build */
    else
        free(text);
    if (!v) {
        char *argv[] = {(char *)path, "--version", NULL};
        ProcSpec ps = {.argv = argv, .envp = build_env, .timeout = 30, .keep = 64 * 1024, .flood = 1 << 20};
        ProcResult pr;
        proc_run(&ps, &pr);
        bool ok = pr.status == PROC_EXITED && pr.code == 0 && pr.out;
        v = xasprintf("%s\n%s", id, ok ? pr.out : "?");
        proc_result_free(&pr);
        char *err = NULL; /* not remembered: asked again next time */
        if (ok && memo && !write_file_atomic(memo, v, strlen(v), &err))
            free(err);
    }
    free(memo);
    char *p = xstrdup(path);
    size_t nv = n;
    PUSH(paths, n, cap, p);
    PUSH(versions, nv, vcap, v);
    return v;
}

static uint64_t hash_str(const char *s, uint64_t h)
{
    return fnv1a(s, strlen(s) + 1, h);
}

/* A file given among the flags (an archive, an object): its content is an
 * input of the build too. */
static uint64_t hash_flag_files(const StrVec *flags, uint64_t h)
{
    for (size_t i = 0; flags && i < flags->n; i++) {
        if (!is_input_file(flags->v[i]))
            continue;
        size_t len = 0;
        char *data = read_file(flags->v[i], 256u << 20, &len, NULL);
        if (data)
            h = fnv1a(data, len, h);
        free(data);
    }
    return h;
}

/* Where the manifest (depcache.h) of preprocessing `src` with `cmd` lives:
 * named by the command, the compiler, the working directory and the
 * source's path and content. NULL when builds run in a wrapper (grade's
 * sandbox sees other paths) or the source cannot be read. */
static char *manifest_path(const BuildSpec *s, const StrVec *cmd, const char *src)
{
    if (!s->cache_dir || (s->wrapper && s->wrapper[0]))
        return NULL;
    uint64_t h = FNV_INIT;
    for (size_t i = 0; i < cmd->n; i++)
        h = hash_str(cmd->v[i], h);
    h = hash_str(compiler_version(cmd->v[0], s->cache_dir), h);
    char *cwd = getcwd(NULL, 0), *real = realpath(src, NULL);
    uint64_t content = 0;
    bool ok = cwd && real && depcache_file_hash(real, &content);
    if (ok) {
        h = hash_str(cwd, hash_str(real, h));
        h = fnv1a(&content, sizeof content, h);
    }
    free(cwd);
    free(real);
    return ok ? xasprintf("%s/deps-%016llx", s->cache_dir, (unsigned long long)h) : NULL;
}

/* After a preprocessing run: the compiler's search directories (one more
 * `-E -v` of an empty file) and the manifest. */
static void record_manifest(const BuildSpec *s, bool cxx, const char *manifest, const char *text, size_t len,
                            uint64_t unit)
{
    StrVec cmd = STRVEC_INIT, search = STRVEC_INIT;
    strvec_push(&cmd, compiler(s->kind, cxx));
    push_flags(&cmd, s, true);
    strvec_push_words(&cmd, "-E -v -x");
    strvec_push(&cmd, cxx ? "c++" : "c");
    strvec_push_words(&cmd, "/dev/null -o /dev/null");
    StrBuf out = STRBUF_INIT;
    if (run_compiler(s, &cmd, &out)) {
        depcache_search_dirs(&search, out.buf);
        if (search.n)
            depcache_record(manifest, text, len, &search, unit);
    }
    sb_free(&out);
    strvec_clear(&search);
    strvec_clear(&cmd);
}

/* The cache key: the compilers and their versions, every flag, and each
 * source's preprocessed translation unit, which holds every header it
 * includes (with line markers: a line added to a header moves the lines
 * findings name). False, with the compiler's words in *log, when a source
 * does not even preprocess: the build would fail the same way. */
static bool cache_key(const BuildSpec *s, Langs l, const char *scratch, uint64_t *key, StrBuf *log)
{
    uint64_t h = FNV_INIT;
    StrVec cmd = STRVEC_INIT;
    link_argv(&cmd, s, l, NULL);
    for (size_t i = 0; i < cmd.n; i++)
        h = hash_str(cmd.v[i], h);
    strvec_clear(&cmd);
    h = hash_flag_files(s->cflags, h);
    h = hash_flag_files(s->ldflags, h);
    h = hash_str(compiler_version(compiler(s->kind, l.any_cxx), s->cache_dir), h);
    /* the sources, and any source file among the flags (grade's shim) */
    StrVec tus = STRVEC_INIT;
    strvec_pushv(&tus, s->sources->v);
    for (size_t i = 0; s->cflags && i < s->cflags->n; i++)
        if (is_input_file(s->cflags->v[i]) && (ends_with(s->cflags->v[i], ".c") || source_is_cxx(s->cflags->v[i])))
            strvec_push(&tus, s->cflags->v[i]);
    bool ok = true;
    for (size_t i = 0; i < tus.n && ok; i++) {
        const char *src = tus.v[i];
        bool cxx = source_is_cxx(src);
        h = hash_str(compiler_version(compiler(s->kind, cxx), s->cache_dir), h);
        char *real = real_or_copy(src);
        h = hash_str(real, h); /* paths end up in debug info */
        free(real);
        strvec_push(&cmd, compiler(s->kind, cxx));
        push_flags(&cmd, s, true);
        strvec_push_words(&cmd, "-E -x");
        strvec_push(&cmd, cxx ? "c++" : "c");
        strvec_push(&cmd, src);
        /* what was read last time, if nothing has changed since */
        char *manifest = manifest_path(s, &cmd, src);
        uint64_t unit = 0;
        if (manifest && depcache_lookup(manifest, &unit)) {
            h = fnv1a(&unit, sizeof unit, h);
            strvec_clear(&cmd);
            free(manifest);
            continue;
        }
        strvec_push(&cmd, "-o");
        strvec_push(&cmd, scratch);
        ok = run_compiler(s, &cmd, log);
        strvec_clear(&cmd);
        size_t len = 0;
        char *text = ok ? read_file(scratch, 512u << 20, &len, NULL) : NULL;
        if (ok && !text) {
            sb_addf(log, "racelab: cannot read the preprocessed %s: %s\n", src, strerror(errno));
            ok = false;
        }
        if (text) {
            unit = fnv1a(text, len, FNV_INIT);
            h = fnv1a(&unit, sizeof unit, h);
            if (manifest)
                record_manifest(s, cxx, manifest, text, len, unit);
        }
        free(text);
        free(manifest);
        unlink(scratch);
    }
    strvec_clear(&tus);
    *key = h;
    return ok;
}

static char *cache_stem(const char *source)
{
    const char *base = path_base(source);
    size_t n = strcspn(base, ".");
    if (!n)
        n = strlen(base);
    if (n > STEM_MAX)
        n = STEM_MAX;
    char *stem = xstrndup(base, n);
    for (char *p = stem; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
              *p == '-'))
            *p = '_';
    return stem;
}

void build_result_free(BuildResult *r)
{
    free(r->exe);
    free(r->log);
    free(r->command);
    memset(r, 0, sizeof *r);
}

bool build_unit(const BuildSpec *s, const char *source, BuildStep step, const char *out, char **log)
{
    StrVec cmd = STRVEC_INIT;
    bool cxx = source_is_cxx(source);
    strvec_push(&cmd, compiler(s->kind, cxx));
    push_flags(&cmd, s, true);
    strvec_push(&cmd, step == BUILD_PREPROCESS ? "-E" : "-c");
    strvec_push(&cmd, "-x");
    strvec_push(&cmd, cxx ? "c++" : "c");
    strvec_push(&cmd, source);
    strvec_push(&cmd, "-o");
    strvec_push(&cmd, out);
    StrBuf sb = STRBUF_INIT;
    bool ok = run_compiler(s, &cmd, &sb);
    strvec_clear(&cmd);
    *log = sb_steal(&sb);
    return ok;
}

void build_program(const BuildSpec *s, BuildResult *r)
{
    memset(r, 0, sizeof *r);
    Langs l = languages(s->sources);
    StrVec cmd = STRVEC_INIT;
    link_argv(&cmd, s, l, NULL);
    /* shown with the compiler's name, as one would type it */
    char *path = cmd.v[0];
    cmd.v[0] = xstrdup(path_base(path));
    free(path);
    r->command = strvec_join_quoted(&cmd);
    strvec_clear(&cmd);
    for (size_t i = 0; i < s->sources->n; i++) {
        if (access(s->sources->v[i], R_OK) != 0) {
            r->log = xasprintf("cannot read %s: %s\n", s->sources->v[i], strerror(errno));
            return;
        }
    }
    if (!mkdir_p(s->cache_dir)) {
        r->log = xasprintf("cannot create %s: %s\n", s->cache_dir, strerror(errno));
        return;
    }
    char *stem = cache_stem(s->sources->v[0]);
    const char *kind = build_kind_name(s->kind);
    /* Scratch files have private names: parallel builds of the same
     * program (ctest -j) each produce theirs whole; the last rename wins. */
    char *scratch = xasprintf("%s/%s-%s.%d.i", s->cache_dir, stem, kind, (int)getpid());
    StrBuf log = STRBUF_INIT;
    uint64_t key = 0;
    bool keyed = s->uncached || cache_key(s, l, scratch, &key, &log);
    char *exe = s->uncached ? xasprintf("%s/%s-%s", s->cache_dir, stem, kind)
                            : xasprintf("%s/%s-%s-%016llx", s->cache_dir, stem, kind, (unsigned long long)key);
    char *logpath = xasprintf("%s.log", exe);
    if (keyed && !s->uncached && access(exe, X_OK) == 0) {
        r->ok = r->cached = true;
        r->exe = exe;
        r->log = read_file(logpath, 1 << 20, NULL, NULL);
        if (!r->log)
            r->log = xstrdup("");
        sb_free(&log);
        free(logpath);
        free(scratch);
        free(stem);
        return;
    }
    char *tmp = xasprintf("%s.tmp.%d", exe, (int)getpid());
    if (keyed) {
        sb_free(&log); /* the preprocessor's warnings come again from the build */
        link_argv(&cmd, s, l, tmp);
        bool built = run_compiler(s, &cmd, &log);
        strvec_clear(&cmd);
        if (built && access(tmp, X_OK) == 0) {
            write_file(logpath, log.buf, log.len);
            if (rename(tmp, exe) == 0) {
                r->ok = true;
                r->exe = exe;
                exe = NULL;
            } else {
                sb_addf(&log, "racelab: cannot rename the binary into %s: %s\n", s->cache_dir, strerror(errno));
            }
        }
    }
    unlink(tmp);
    r->log = sb_steal(&log);
    free(tmp);
    free(exe);
    free(logpath);
    free(scratch);
    free(stem);
}
