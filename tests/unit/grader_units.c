/* Unit tests of the grader's parts: the scan for cheats (each cheat seen
 * after the preprocessor and in the object, whatever its spelling, and
 * what a real fix contains not taken for one), the atomics that switch
 * the tool-limitation policy on, and the sandbox's argv. Each CHECK names what it
 * guards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "allow.h"
#include "build.h"
#include "fs.h"
#include "grade.h"
#include "sandbox.h"
#include "scan.h"
#include "strvec.h"

#include "test.h"

static char scratch[] = "/tmp/racelab-grader-units-XXXXXX";

/* src written to a file, preprocessed and compiled alone as the grader
 * does (gcc -E, gcc -c): the unit and the object, or false. */
static bool translate(const char *name, const char *src, BuildKind kind, char **tu, size_t *len, char **obj)
{
    char *path = xasprintf("%s/%s.c", scratch, name), *i_path = xasprintf("%s/%s.i", scratch, name);
    *obj = xasprintf("%s/%s.%s.o", scratch, name, build_kind_name(kind));
    *tu = NULL;
    char *log = NULL, *log2 = NULL;
    BuildSpec bs = {.kind = kind};
    bool ok = write_file(path, src, strlen(src)) && build_unit(&bs, path, BUILD_PREPROCESS, i_path, &log) &&
              build_unit(&bs, path, BUILD_OBJECT, *obj, &log2);
    if (ok)
        *tu = read_file(i_path, 64u << 20, len, NULL);
    CHECK(ok && *tu, "%s compiles alone: %s%s", name, log ? log : "", log2 ? log2 : "");
    free(log), free(log2), free(i_path);
    free(path);
    return ok && *tu;
}

static const char handout[] =
    "#include <pthread.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
    "static long counter;\n"
    "static void *worker(void *arg) { long n = *(long *)arg; for (long i = 0; i < n; i++) counter++; return 0; }\n"
    "int main(int argc, char **argv) {\n"
    "    if (argc != 2) return 2;\n"
    "    long n = atol(argv[1]); pthread_t t[2];\n"
    "    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, worker, &n);\n"
    "    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);\n"
    "    printf(\"Counter: %ld\\n\", counter); return 0; }\n";

static AllowList allow;

/* The ids the scan finds in src, as "a,b," */
static char *scan(const char *src)
{
    CheatList cl = {0};
    char *tu, *obj;
    size_t len;
    StrBuf sb = STRBUF_INIT;
    if (translate("submission", src, BUILD_NATIVE, &tu, &len, &obj)) {
        char *file = xasprintf("%s/submission.c", scratch);
        scan_tu(tu, len, file, &allow, &cl);
        char *unsupported = NULL;
        scan_object(obj, &allow, &cl, &unsupported);
        if (unsupported)
            sb_add(&sb, "unsupported,");
        free(unsupported);
        free(file);
        for (size_t i = 0; i < cl.n; i++)
            sb_addf(&sb, "%s,", cl.items[i].id);
    } else {
        sb_add(&sb, "(does not compile)");
    }
    free(tu), free(obj);
    cheats_free(&cl);
    return sb_steal(&sb);
}

static void expect_cheat(const char *src, const char *id)
{
    char *got = scan(src);
    char *want = xasprintf("%s,", id);
    CHECK(strstr(got, want) != NULL, "%s not found in: %s (got %s)", id, src, got);
    free(want);
    free(got);
}

static void expect_clean(const char *src)
{
    char *got = scan(src);
    CHECK(!*got, "a cheat (%s) in innocent code: %s", got, src);
    free(got);
}

#define PRELUDE "#include <pthread.h>\n#include <stdio.h>\n#include <stdlib.h>\n"

static void test_cheats(void)
{
    char *tu, *obj;
    size_t len;
    allow_init(&allow);
    if (translate("handout", handout, BUILD_NATIVE, &tu, &len, &obj)) {
        char *file = xasprintf("%s/handout.c", scratch);
        allow_object(&allow, obj);
        allow_tu(&allow, tu, len, file);
        free(file);
    }
    free(tu), free(obj);
    CHECK(allow.main_params == 2, "the handout's main takes 2 parameters (got %d)", allow.main_params);

    /* attributes and pragmas, however they are spelled */
    expect_cheat(PRELUDE "__attribute__((no_sanitize(\"thread\"))) void f(void) {}", "attribute");
    expect_cheat(PRELUDE "#define NS(x) no_ ## x\n__attribute__((NS(sanitize_thread))) void f(void) {}", "attribute");
    expect_cheat(PRELUDE "__attribute__((constructor)) static void early(void) {}", "attribute");
    expect_cheat(PRELUDE "__attribute__((section(\".init_array\"))) static void (*p)(void) = 0;", "section");
    expect_cheat(PRELUDE "#pragma GCC optimize(\"O0\")\nint x;", "pragma");
    expect_cheat(PRELUDE "_Pragma(\"GCC diagnostic ignored \\\"-Wall\\\"\") int x;", "pragma");
    /* below C */
    expect_cheat(PRELUDE "void f(void) { __asm__ volatile(\"\" ::: \"memory\"); }", "inline-asm");
    expect_cheat(PRELUDE "#define A as ## m\nvoid f(void) { A(\"nop\"); }", "inline-asm");
    expect_cheat(PRELUDE "void *f(void) { return __builtin_frame_address(0); }", "builtin");
    /* the threading API redefined, plainly or through a continued #define */
    expect_cheat(PRELUDE "int pthread_mutex_lock(pthread_mutex_t *m) { (void)m; return 0; }", "redefinition");
    expect_cheat(PRELUDE "#define LOCK pthread_mutex_\\\nlock\nint LOCK(pthread_mutex_t *m) { (void)m; return 0; }",
                 "redefinition");
    expect_cheat(PRELUDE "const char *__tsan_default_options(void) { return \"\"; }", "redefinition");
    /* outside the allow-list, however it is reached */
    expect_cheat(PRELUDE "#include <dlfcn.h>\nvoid *f(void) { return dlsym(RTLD_NEXT, \"x\"); }", "import");
    expect_cheat(PRELUDE "#include <unistd.h>\nint (*e)(const char *, char *const *, char *const *) = execve;",
                 "import");
    expect_cheat(PRELUDE "#include <unistd.h>\nint f(void) { return fork(); }", "import");
    expect_cheat(PRELUDE "void f(void) { setenv(\"X\", \"1\", 1); }", "import");
    expect_cheat(PRELUDE "#include <unistd.h>\n#include <sys/syscall.h>\nlong f(void) { return syscall(SYS_gettid); }",
                 "import");
    expect_cheat(PRELUDE "#include <threads.h>\nstatic mtx_t m; void f(void) { mtx_lock(&m); mtx_unlock(&m); }",
                 "unsupported");
    /* words and parameters that only a cheat needs */
    expect_cheat(PRELUDE "const char *p = \"/proc/self/maps\";", "tool-word");
    expect_cheat(PRELUDE "#define S(x) #x\nconst char *p = S(TSAN_OPTIONS);", "tool-word");
    expect_cheat(PRELUDE "int main(int c, char **v, char **envp) { (void)c, (void)v, (void)envp; return 0; }",
                 "main-envp");

    /* what fixes really contain */
    expect_clean(PRELUDE "static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER; static long counter;\n"
                         "static void *w(void *a) { pthread_mutex_lock(&m); counter++; pthread_mutex_unlock(&m); "
                         "return a; }\n"
                         "int main(int argc, char **argv) { (void)argc, (void)argv; pthread_t t;\n"
                         "  if (pthread_create(&t, 0, w, 0) != 0) { return 1; }\n"
                         "  while (pthread_mutex_trylock(&m)) { sched_yield(); }\n pthread_mutex_unlock(&m);\n"
                         "  pthread_join(t, 0); printf(\"Counter: %ld\\n\", counter); return 0; }\n");
    expect_clean(PRELUDE "#include <stdatomic.h>\nstatic atomic_long c;\n"
                         "void f(void) { atomic_fetch_add_explicit(&c, 1, memory_order_relaxed); }");
    expect_clean(PRELUDE "#include <semaphore.h>\nstatic sem_t s; void f(void) { sem_init(&s, 0, 1); sem_wait(&s); "
                         "sem_post(&s); }");
    expect_clean(PRELUDE "/* never call _exit(0) or fork() here, nor read /proc */ int x; // setenv(\"A\")\n");
    expect_clean(PRELUDE "static __attribute__((unused)) int spare; __attribute__((noreturn)) void die(void) "
                         "{ exit(1); }");
    expect_clean(PRELUDE "#include <assert.h>\nvoid f(int n) { assert(n > 0); }");

    /* atomics that take part, not an _Atomic declared and never used (as
     * the grader looks: in the explore build, at -O0) */
    if (translate("atomics", PRELUDE "#include <stdatomic.h>\nstatic atomic_int flag;\n"
                                     "int get(void) { return atomic_load_explicit(&flag, memory_order_acquire); }",
                  BUILD_EXPLORE, &tu, &len, &obj))
        CHECK(object_uses_atomics(obj), "an atomic load: the program uses atomics");
    free(tu), free(obj);
    if (translate("unused", PRELUDE "#include <stdatomic.h>\n_Atomic int unused;\nstatic long c;\n"
                                    "void f(void) { c++; }",
                  BUILD_EXPLORE, &tu, &len, &obj))
        CHECK(!object_uses_atomics(obj), "an _Atomic variable nobody touches switches no policy on");
    free(tu), free(obj);
    allow_free(&allow);

    const char *ld = "int x;\n  #  line 1 \"notes.h\"\nint y;\n";
    CHECK(source_line_directive(ld, strlen(ld)) == 2, "#line on line 2");
    const char *ld2 = "int x;\n#\\\nline 7\n";
    CHECK(source_line_directive(ld2, strlen(ld2)) == 2, "a spliced #line");
    const char *ld3 = "int x;\n# 12 \"other.c\"\n";
    CHECK(source_line_directive(ld3, strlen(ld3)) == 2, "a bare line marker");
    const char *ld4 = "#include <stdio.h>\n/* #line 3 */\nconst char *s = \"#line 4\";\n#define LINE 5\nint lines;\n";
    CHECK(source_line_directive(ld4, strlen(ld4)) == 0, "#line in a comment or a string, #define LINE: none");
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
    CHECK(has(v, "--unshare-user") && has(v, "65534") && has(v, "--disable-userns"),
          "not root inside: uid nobody in a user namespace that may not nest");
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
    if (!mkdtemp(scratch)) {
        perror("mkdtemp");
        return 1;
    }
    test_cheats();
    test_sandbox();
    remove_tree(scratch);
    return test_summary();
}
