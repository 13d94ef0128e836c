#include "build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "fs.h"
#include "proc.h"
#include "strbuf.h"
#include "strvec.h"
#include "text.h"
#include "toolpaths.h"

static const char *const common_flags[] = {"-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-pthread"};
static const char *const tsan_flags[] = {"-fsanitize=thread", "-g", "-O1", "-fno-omit-frame-pointer"};
static const char *const native_flags[] = {"-g", "-O0"};
/* TSan's instrumentation, not its runtime: the explore runtime takes its
 * calls. -O0 keeps every access the source writes (at -O1 a loop of
 * `counter += 1` becomes one addition, and its race one window). */
static const char *const explore_flags[] = {"-fsanitize=thread", "-fno-sanitize-link-runtime", "-g", "-O0",
                                            "-fno-omit-frame-pointer"};

BuildKind build_kind_for(ToolId tool)
{
    return tool == TOOL_TSAN ? BUILD_TSAN : tool == TOOL_EXPLORE ? BUILD_EXPLORE : BUILD_NATIVE;
}

const char *build_kind_name(BuildKind k)
{
    return k == BUILD_TSAN ? "tsan" : k == BUILD_EXPLORE ? "explore" : "native";
}

static const char *compiler(BuildKind k)
{
    return k == BUILD_NATIVE ? tool_paths.cc : tool_paths.clang;
}

static void mode_flags(BuildKind k, const char *const **flags, size_t *n)
{
    *flags = k == BUILD_TSAN ? tsan_flags : k == BUILD_EXPLORE ? explore_flags : native_flags;
    *n = k == BUILD_TSAN      ? ARRAY_LEN(tsan_flags)
         : k == BUILD_EXPLORE ? ARRAY_LEN(explore_flags)
                              : ARRAY_LEN(native_flags);
}

/* After the sources and the user's libraries: the explore runtime. */
static void link_flags(BuildKind k, StrVec *argv)
{
    if (k != BUILD_EXPLORE)
        return;
    strvec_pushf(argv, "-L%s", runtime_dir());
    strvec_pushf(argv, "-Wl,-rpath,%s", runtime_dir());
    strvec_push(argv, "-lracelab-explore");
}

char *build_command_line(BuildKind k)
{
    StrBuf sb = STRBUF_INIT;
    const char *const *mf;
    size_t nm;
    mode_flags(k, &mf, &nm);
    sb_add(&sb, path_base(compiler(k)));
    for (size_t i = 0; i < nm; i++)
        sb_addf(&sb, " %s", mf[i]);
    for (size_t i = 0; i < ARRAY_LEN(common_flags); i++)
        sb_addf(&sb, " %s", common_flags[i]);
    return sb_steal(&sb);
}

void build_result_free(BuildResult *r)
{
    free(r->exe);
    free(r->log);
    memset(r, 0, sizeof *r);
}

void build_program(const BuildSpec *s, BuildResult *r)
{
    memset(r, 0, sizeof *r);
    const char *const *mf;
    size_t nm;
    mode_flags(s->kind, &mf, &nm);

    /* The cache key covers everything that changes the binary. */
    uint64_t h = FNV_INIT;
    h = fnv1a(compiler(s->kind), strlen(compiler(s->kind)) + 1, h);
    for (size_t i = 0; i < nm; i++)
        h = fnv1a(mf[i], strlen(mf[i]) + 1, h);
    for (size_t i = 0; s->cflags && i < s->cflags->n; i++)
        h = fnv1a(s->cflags->v[i], strlen(s->cflags->v[i]) + 1, h);
    for (size_t i = 0; s->ldflags && i < s->ldflags->n; i++)
        h = fnv1a(s->ldflags->v[i], strlen(s->ldflags->v[i]) + 1, fnv1a("ld", 3, h));
    for (size_t i = 0; i < s->sources->n; i++) {
        size_t len = 0;
        char *text = read_file(s->sources->v[i], 64u << 20, &len, NULL);
        if (!text) {
            r->log = xasprintf("cannot read %s: %s", s->sources->v[i], strerror(errno));
            return;
        }
        char *real = real_or_copy(s->sources->v[i]);
        h = fnv1a(real, strlen(real) + 1, h); /* paths end up in debug info */
        h = fnv1a(text, len, h);
        free(real);
        free(text);
    }
    if (!mkdir_p(s->cache_dir)) {
        r->log = xasprintf("cannot create %s: %s", s->cache_dir, strerror(errno));
        return;
    }
    const char *base = path_base(s->sources->v[0]);
    char *exe = xasprintf("%s/%.*s-%s-%016llx", s->cache_dir, (int)strcspn(base, "."), base, build_kind_name(s->kind),
                          (unsigned long long)h);
    char *logpath = xasprintf("%s.log", exe);
    if (access(exe, X_OK) == 0) {
        r->ok = r->cached = true;
        r->exe = exe;
        size_t n;
        r->log = read_file(logpath, 1 << 20, &n, NULL);
        if (!r->log)
            r->log = xstrdup("");
        free(logpath);
        return;
    }
    /* Built under a private name and renamed: parallel builds of the same
     * program (ctest -j) each produce it whole, and the last rename wins. */
    char *tmp = xasprintf("%s.tmp.%d", exe, (int)getpid());
    StrVec argv = STRVEC_INIT;
    strvec_pushv(&argv, s->wrapper);
    strvec_push(&argv, compiler(s->kind));
    for (size_t i = 0; i < nm; i++)
        strvec_push(&argv, mf[i]);
    for (size_t i = 0; i < ARRAY_LEN(common_flags); i++)
        strvec_push(&argv, common_flags[i]);
    if (s->cflags)
        strvec_pushv(&argv, s->cflags->v);
    strvec_pushv(&argv, s->sources->v);
    if (s->ldflags)
        strvec_pushv(&argv, s->ldflags->v);
    link_flags(s->kind, &argv);
    strvec_push(&argv, "-o");
    strvec_push(&argv, tmp);
    char *env[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "TMPDIR=/tmp", NULL};
    ProcSpec ps = {.argv = argv.v, .envp = env, .timeout = 120, .keep = 256 * 1024, .flood = 16 << 20};
    ProcResult pr;
    proc_run(&ps, &pr);
    StrBuf log = STRBUF_INIT;
    sb_addn(&log, pr.err, pr.errlen);
    sb_addn(&log, pr.out, pr.outlen);
    if (pr.status == PROC_EXITED && pr.code == 0 && access(tmp, X_OK) == 0) {
        write_file(logpath, log.buf ? log.buf : "", log.len);
        if (rename(tmp, exe) == 0) {
            r->ok = true;
            r->exe = exe;
            exe = NULL;
        } else {
            sb_addf(&log, "racelab: cannot rename the binary into %s: %s\n", s->cache_dir, strerror(errno));
        }
    } else if (pr.status == PROC_SPAWN_FAILED) {
        sb_addf(&log, "racelab: %s\n", pr.why);
    } else if (pr.status != PROC_EXITED) {
        sb_addf(&log, "racelab: the compiler did not finish: %s\n", pr.why ? pr.why : proc_status_name(pr.status));
    }
    unlink(tmp);
    r->log = sb_steal(&log);
    proc_result_free(&pr);
    strvec_clear(&argv);
    free(tmp);
    free(exe);
    free(logpath);
}
