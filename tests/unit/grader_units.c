/* Unit tests of the grader's parts: the cheat scanner (each cheat seen,
 * and the look-alikes a real fix contains not taken for one), the
 * printable-text filter, and the sandbox's argv. Each CHECK names what it
 * guards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "grade.h"
#include "sandbox.h"
#include "scan.h"
#include "strvec.h"

#include "test.h"

/* The ids found in src, as "a,b," */
static char *scan(const char *src, bool *atomics)
{
    CheatList cl = {0};
    SourceFacts f;
    scan_source(src, strlen(src), &cl, &f);
    StrBuf sb = STRBUF_INIT;
    for (size_t i = 0; i < cl.n; i++)
        sb_addf(&sb, "%s,", cl.items[i].id);
    if (atomics)
        *atomics = f.uses_atomics;
    cheats_free(&cl);
    return sb_steal(&sb);
}

static void expect_cheat(const char *src, const char *id)
{
    char *got = scan(src, NULL);
    char *want = xasprintf("%s,", id);
    CHECK(strstr(got, want) != NULL, "%s not found in: %s (got %s)", id, src, got);
    free(want);
    free(got);
}

static void expect_clean(const char *src)
{
    char *got = scan(src, NULL);
    CHECK(!*got, "a cheat (%s) in innocent code: %s", got, src);
    free(got);
}

static void test_cheats(void)
{
    expect_cheat("const char *__tsan_default_options(void) { return \"\"; }", "tsan-options");
    expect_cheat("const char *__tsan_default_suppressions(void) { return \"\"; }", "tsan-suppressions");
    expect_cheat("__attribute__((no_sanitize(\"thread\"))) void f(void) {}", "no-sanitize");
    expect_cheat("__attribute__((no_sanitize_thread)) void f(void) {}", "no-sanitize");
    expect_cheat("__attribute__((disable_sanitizer_instrumentation)) void f(void) {}", "no-sanitize");
    expect_cheat("void f(int *p) { AnnotateHappensBefore(__FILE__, __LINE__, p); }", "annotation");
    expect_cheat("void f(int *p) { __tsan_release(p); }", "annotation");
    expect_cheat("void f(int *p) { ANNOTATE_HAPPENS_BEFORE(p); }", "annotation");
    expect_cheat("#include <valgrind/helgrind.h>\n", "valgrind-request");
    expect_cheat("#include \"drd.h\"\n", "valgrind-request");
    expect_cheat("void f(int *p) { VALGRIND_HG_DISABLE_CHECKING(p, 4); }", "valgrind-request");
    expect_cheat("int pthread_mutex_lock(pthread_mutex_t *m) { return 0; }", "pthread-redefinition");
    expect_cheat("#define pthread_mutex_lock(m) 0\n", "pthread-redefinition");
    expect_cheat("int sem_wait(sem_t *s)\n{\n return 0;\n}", "pthread-redefinition");
    expect_cheat("void f(void) { setenv(\"X\", \"1\", 1); }", "env-tamper");
    expect_cheat("const char *o = \"TSAN_OPTIONS=report_bugs=0\";", "env-tamper");
    expect_cheat("const char *o = \".valgrindrc\";", "valgrindrc");
    expect_cheat("void f(char **a) { execv(a[0], a); }", "reexec");
    expect_cheat("void f(void) { system(\"ls\"); }", "reexec");
    expect_cheat("void f(void) { close(2); }", "stderr");
    expect_cheat("void f(void) { close( STDERR_FILENO ); }", "stderr");
    expect_cheat("void f(int n) { dup2(n, 2); }", "stderr");
    expect_cheat("void f(void) { freopen(\"/dev/null\", \"w\", stderr); }", "stderr");
    expect_cheat("void f(void) { fclose(stderr); }", "stderr");
    expect_cheat("void f(void) { _exit(0); }", "early-exit");
    expect_cheat("void f(void) { _Exit(0); }", "early-exit");
    expect_cheat("void f(void) { syscall(SYS_exit_group, 0); }", "early-exit");
    expect_cheat("void f(void) { quick_exit(0); }", "early-exit");
    expect_cheat("void f(void) { unlink(\"x\"); }", "report-tamper");
    expect_cheat("void f(void) { __asm__ volatile(\"\" ::: \"memory\"); }", "inline-asm");
    expect_cheat("int __real_pthread_create(void);", "grader-hook");

    /* what fixes really contain */
    expect_clean(
        "#include <pthread.h>\nstatic pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\n"
        "void *w(void *a) { pthread_mutex_lock(&m); pthread_mutex_unlock(&m); return a; }\n"
        "int main(void) { pthread_t t; if (pthread_create(&t, 0, w, 0) != 0) { return 1; }\n"
        "while (pthread_mutex_trylock(&m)) { }\n pthread_join(t, 0); return 0; }\n");
    expect_clean("/* never call _exit(0) or close(2) here */ int x; // setenv(\"A\")\n");
    expect_clean("const char *msg = \"do not use _exit, system() or close(2)\";");
    expect_clean("pthread_mutex_t fork[5]; void f(int i) { pthread_mutex_lock(&fork[i]); }");
    expect_clean("void f(int fd) { close(fd); dup2(fd, 1); fclose(stdout); }");
    expect_clean("long f(void) { return syscall(SYS_gettid); }");
    expect_clean("int exit_code; void f(void) { exit(exit_code); }");
    expect_clean("const char *s = \"unterminated\n\"; char c = '\\''; int q = '\"';");

    bool atomics = false;
    free(scan("#include <stdatomic.h>\nint main(void) { return 0; }", &atomics));

    CHECK(atomics, "<stdatomic.h> means C11 atomics (the tool-limitation policy)");
    free(scan("static long counter;", &atomics));
    CHECK(!atomics, "a plain long is not an atomic");

    CheatList cl = {0};
    scan_symbols_text(
        "main T 1139 10\n__tsan_default_options T 1000 5\n__wrap_pthread_create T 1200 30\n"
        "racelab_count_fd d 4010 4\n",
        &cl);
    CHECK(cl.n == 1 && !strcmp(cl.items[0].id, "tsan-options"),
          "symbols: the macro-hidden definition, and "
          "not the grader's own counter (%zu found)",
          cl.n);
    cheats_free(&cl);
    scan_symbols_text("pthread_mutex_lock T 1100 12\n", &cl);
    CHECK(cl.n == 1 && !strcmp(cl.items[0].id, "pthread-redefinition"), "symbols: a defined pthread function");
    cheats_free(&cl);

    const char *src = "int main(void)\n{\n    printf(\"Counter: 2000\\n\");\n    return 20000;\n}\n";
    CHECK(source_find_number(src, strlen(src), "2000") == 3, "the literal 2000 is on line 3");
    CHECK(source_find_number(src, strlen(src), "200") == 0, "200 is not written (2000 and 20000 are)");
    const char *com = "/* 2000 */ int x;";
    CHECK(source_find_number(com, strlen(com), "2000") == 0, "a number in a comment is not an answer");
}

static bool has(char **v, const char *s)
{
    for (size_t i = 0; v && v[i]; i++)
        if (!strcmp(v[i], s) || (s[strlen(s) - 1] == '=' && !strncmp(v[i], s, strlen(s))))
            return true;
    return false;
}

static void test_sandbox(void)
{
    Sandbox sb = {.enabled = true};
    SandboxMount m[] = {{"/tmp/x-cache", false}, {"/tmp/x-runs", true}};
    SandboxStep run = {.mounts = m, .nmounts = 2, .cpu_seconds = 15, .fsize = 1 << 20};
    char **v = sandbox_argv(&sb, &run);
    CHECK(has(v, "--unshare-all") && has(v, "--die-with-parent") && has(v, "--new-session"),
          "namespaces, death with racelab, own session");
    CHECK(has(v, "--tmpfs") && has(v, "--proc") && has(v, "--dev"), "Valgrind's /tmp, /proc and /dev");
    CHECK(has(v, "--cpu=") && has(v, "--fsize="), "CPU time and file size limits");
    CHECK(!has(v, "--as=") && !has(v, "--nproc="), "no RLIMIT_AS and no RLIMIT_NPROC for a run: TSan breaks");
    CHECK(!has(v, "--clearenv"), "a run keeps the runner's own (already clean) environment: TSAN_OPTIONS");
    CHECK(!has(v, "/bin/sh"), "no cgroup, no shell");
    CHECK(!strcmp(v[0], "/usr/bin/prlimit"), "starts with prlimit, got %s", v[0]);
    strv_free(v);
    SandboxStep build = {.mounts = m,
                         .nmounts = 1,
                         .chdir = "/tmp/x-cache",
                         .clearenv = true,
                         .cpu_seconds = 60,
                         .fsize = 1 << 20,
                         .as_limit = 1ll << 32};
    sb.cg.dirs[0] = "/sys/fs/cgroup/pids/x";
    sb.cg.n = 1;
    v = sandbox_argv(&sb, &build);
    CHECK(has(v, "--as=") && has(v, "--clearenv") && has(v, "--chdir"),
          "a compiler gets RLIMIT_AS, a clean "
          "environment and a directory it does not control");
    CHECK(!strcmp(v[0], "/bin/sh") && has(v, "/sys/fs/cgroup/pids/x/cgroup.procs"), "joins the cgroup first");
    strv_free(v);
    Sandbox off = {.enabled = false};
    CHECK(sandbox_argv(&off, &run) == NULL, "--no-sandbox: no wrapper");
}

int main(void)
{
    test_cheats();
    test_sandbox();
    return test_summary();
}
