/* Unit tests of the harness: expressions, case headers, verdicts, and the
 * process runner's kill path and time limits. Each CHECK names what it
 * guards. `engine-units --busy N S` is the busy program the time-limit
 * test runs: N threads on one CPU, each spinning S seconds of CPU (S 0:
 * for ever). The second argument is stuck-program (stuck_program.c). */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"

#include "alloc.h"
#include "expr.h"
#include "fs.h"
#include "judge.h"
#include "measure.h"
#include "proc.h"
#include "spec.h"
#include "strbuf.h"
#include "toolversion.h"
#include "toolpaths.h"
#include "tsan_report.h"

static const char *tmpdir;

static void test_expr(void)
{
    Params ps = {0};
    params_set(&ps, "threads", 4);
    params_set(&ps, "iters", 1000);
    long long v = 0;
    char *err = NULL;
    CHECK(expr_eval("threads * iters", &ps, &v, &err) && v == 4000, "product");
    CHECK(expr_eval("(threads + 1) * (iters - 1) % 7", &ps, &v, &err) && v == (5 * 999) % 7, "precedence");
    CHECK(expr_eval("-threads + 10 / 3", &ps, &v, &err) && v == -1, "unary minus, division");
    CHECK(!expr_eval("threads / 0", &ps, &v, &err) && strstr(err, "division by zero"), "division by zero");
    free(err), err = NULL;
    CHECK(!expr_eval("nope + 1", &ps, &v, &err) && strstr(err, "unknown parameter"), "unknown name");
    free(err), err = NULL;
    CHECK(!expr_eval("9223372036854775807 + 1", &ps, &v, &err) && strstr(err, "overflow"), "overflow caught");
    free(err), err = NULL;
    CHECK(!expr_eval("threads iters", &ps, &v, &err), "trailing text rejected");
    free(err), err = NULL;
    char *s = expr_subst("Counter: {threads * iters} of {iters}", &ps, &err);
    CHECK(s && !strcmp(s, "Counter: 4000 of 1000"), "subst gave '%s'", s ? s : "(null)");
    free(s);
    CHECK(!expr_subst("Counter: {threads", &ps, &err), "unclosed brace");
    free(err);
    params_free(&ps);
}

static const char good_header[] =
    "/*\n"
    " * t: a test case.\n"
    " *\n"
    " * racelab:\n"
    " *   class:    lost-update\n"
    " *   params:   threads=2 iters=10\n"
    " *   grade:    threads=2..8\n"
    " *   stress:   iters=1000\n"
    " *   output:   Counter: {threads * iters}\n"
    " *   creates:  {threads}\n"
    " *   tsan:     data-race counter @a @b\n"
    " *   helgrind: Race @a\n"
    " *   drd:      ConflictingAccess @a\n"
    " *   memcheck: blind -- not memory\n"
    " *   explore:  wrong-answer\n"
    " *   native:   wrong-answer\n"
    " */\n"
    "int counter;\n"
    "void f(void) { counter++; /* @a */ }\n"
    "void g(void) { counter++; } // @b\n";

static bool load_text(const char *text, CaseSpec *s, char **err)
{
    char *p = path_join(tmpdir, "case.c");
    write_file(p, text, strlen(text));
    bool ok = spec_load(p, s, err);
    free(p);
    return ok;
}

static void expect_spec_error(const char *from, const char *to, const char *msg)
{
    StrBuf sb = STRBUF_INIT;
    const char *at = strstr(good_header, from);
    sb_addn(&sb, good_header, (size_t)(at - good_header));
    sb_add(&sb, to);
    sb_add(&sb, at + strlen(from));
    CaseSpec s;
    char *err = NULL;
    bool ok = load_text(sb.buf, &s, &err);
    CHECK(!ok && err && strstr(err, msg), "replacing '%s' by '%s': want error containing '%s', got '%s'", from, to, msg,
          err ? err : "(loaded fine)");
    if (ok)
        spec_free(&s);
    free(err);
    sb_free(&sb);
}

static void test_spec(void)
{
    CaseSpec s;
    char *err = NULL;
    CHECK(load_text(good_header, &s, &err), "good header: %s", err ? err : "");
    if (!err) {
        CHECK(!strcmp(s.klass, "lost-update"), "class");
        CHECK(s.params.n == 2 && s.params.items[0].lo == 2 && s.params.items[0].hi == 8, "grade range");
        CHECK(params_find(&s.stress, "iters")->value == 1000 && params_find(&s.stress, "threads")->value == 2,
              "stress defaults to params");
        const Expect *e = &s.tools[TOOL_TSAN].items[0];
        CHECK(e->nlabels == 2 && e->lines[0] == 19 && e->lines[1] == 20, "labels resolve to lines 19, 20 (got %d %d)",
              e->lines[0], e->lines[1]);
        const ToolExpect *x = &s.tools[TOOL_EXPLORE];
        CHECK(x->n == 1 && !strcmp(x->items[0].kind, "wrong-answer") && !x->items[0].nlabels,
              "a finding with no place in the code: explore: wrong-answer");
        CHECK(e->var && !strcmp(e->var, "counter"), "variable");
        CHECK(s.tools[TOOL_MEMCHECK].blind, "blind");
        long long c = 0;
        CHECK(spec_creates(&s, &s.params, &c, &err) && c == 2, "creates");
        spec_free(&s);
    }
    free(err);
    expect_spec_error(" *   memcheck: blind -- not memory\n", "", "no 'memcheck:' line");
    expect_spec_error("blind -- not memory", "blind", "say why the tool is blind");
    expect_spec_error("@a @b", "@a @nowhere", "label @nowhere is not on any line");
    expect_spec_error("Race @a", "Race counter", "an expected finding needs at least one @label");
    expect_spec_error("explore:  wrong-answer", "explore:  ", "expected 'KIND [VARIABLE] @label...'");
    expect_spec_error("Race @a", "Race counter", "at least one @label");
    expect_spec_error("stress:   iters=1000", "stress:   bogus=1", "'bogus' is not a parameter");
    expect_spec_error("{threads * iters}", "{threads * itres}", "unknown parameter");
    expect_spec_error("native:   wrong-answer", "native:   sometimes", "native: is");
    expect_spec_error("/* @a */", "/* @b */", "label @b is already on line");
    expect_spec_error("racelab:", "racelab", "no 'racelab:' block");
}

/* A report with one finding whose locations are on the given lines. */
static void add_finding(Report *r, const char *kind, const char *var, const int *lines, size_t n)
{
    Finding *f = report_add(r, TOOL_TSAN, kind);
    f->var = var ? xstrdup(var) : NULL;
    for (size_t i = 0; i < n; i++) {
        Stack *s = finding_add_stack(f, "access", true);
        stack_add_frame(s, "__tsan_x", "/usr/lib/llvm/tsan_rtl.cpp", 5); /* runtime: skipped */
        stack_add_frame(s, "worker", "/src/case.c", lines[i]);
    }
}

static Verdict verdict_for(const ToolExpect *te, Report *r)
{
    RunOutcome o = {0};
    o.status = RUN_OK;
    o.report = *r;
    SourceSet ss = {0};
    sources_add(&ss, "/src/case.c");
    Verdict v = judge_findings(&o, te, &ss);
    sources_free(&ss);
    return v;
}

static void test_verdicts(void)
{
    int l18[] = {18}, l19[] = {19}, l18_19[] = {18, 19}, l18_30[] = {18, 30}, unknown[] = {0}, l18_0[] = {18, 0};
    int lines[] = {18, 19};
    char *labels[] = {"a", "b"};
    Expect e = {.kind = "data-race", .var = "counter", .labels = labels, .lines = lines, .nlabels = 2};
    ToolExpect te = {.given = true, .items = &e, .n = 1};
    struct {
        const char *kind, *var;
        const int *lines;
        size_t n;
        Verdict want;
        const char *what;
    } cases[] = {
        {"data-race", "counter", l18_19, 2, V_DETECTED, "both accesses at the labelled lines"},
        {"data-race", "counter", l18, 1, V_DETECTED, "one access at a labelled line"},
        {"data-race", "counter", l18_0, 2, V_DETECTED, "a lost line is unknown, not wrong"},
        {"data-race", "counter", unknown, 1, V_UNEXPECTED, "no known line at all cannot be placed"},
        {"data-race", "counter", l18_30, 2, V_UNEXPECTED, "an access elsewhere is unexpected"},
        {"data-race", "other", l18_19, 2, V_UNEXPECTED, "another variable is unexpected"},
        {"thread-leak", NULL, l19, 1, V_UNEXPECTED, "another kind is unexpected"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        Report r;
        report_init(&r);
        add_finding(&r, cases[i].kind, cases[i].var, cases[i].lines, cases[i].n);
        Verdict v = verdict_for(&te, &r);
        CHECK(v == cases[i].want, "%s: got %s", cases[i].what, verdict_name(v));
        report_free(&r);
    }
    Report r;
    report_init(&r);
    CHECK(verdict_for(&te, &r) == V_MISSED, "no finding when one is expected: MISSED");
    CHECK(verdict_for(NULL, &r) == V_CLEAN, "no finding, none expected: CLEAN");
    add_finding(&r, "data-race", "counter", l18_19, 2);
    CHECK(verdict_for(NULL, &r) == V_UNEXPECTED, "a finding in a fixed program: UNEXPECTED");
    ToolExpect blind = {.given = true, .blind = true};
    CHECK(verdict_for(&blind, &r) == V_UNEXPECTED, "a finding from a blind tool: UNEXPECTED");
    add_finding(&r, "data-race", "counter", l18_30, 2);
    CHECK(verdict_for(&te, &r) == V_UNEXPECTED, "expected + unexpected: UNEXPECTED, not DETECTED");
    report_free(&r);
    RunOutcome o = {.status = RUN_TIMEOUT};
    CHECK(judge_findings(&o, &te, NULL) == V_TIMEOUT, "a timeout is never judged on findings");
    o.status = RUN_ERROR;
    CHECK(judge_findings(&o, &te, NULL) == V_ERROR, "an error is never judged on findings");
}

/* Alive and not a zombie. */
static bool alive(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *st = read_file(path, 512, NULL, NULL);
    const char *q = st ? strrchr(st, ')') : NULL;
    bool live = q && q[1] == ' ' && q[2] != 'Z';
    free(st);
    return live;
}

static void test_proc(void)
{
    /* The shell starts a grandchild that leaves the process group and
     * prints its pid; the timeout must kill it too. */
    char *pidfile = path_join(tmpdir, "grandchild.pid");
    char *script = xasprintf("setsid sleep 300 & echo $! > %s; sleep 300", pidfile);
    char *argv[] = {"/bin/sh", "-c", script, NULL};
    ProcSpec ps = {.argv = argv, .timeout = 0.5, .keep = 1024, .flood = 1 << 20};
    ProcResult r;
    double t0 = now_seconds();
    proc_run(&ps, &r);
    CHECK(r.status == PROC_TIMEOUT, "sleep is a TIMEOUT (got %s)", proc_status_name(r.status));
    CHECK(now_seconds() - t0 < 5, "the limit is kept (%.1f s)", now_seconds() - t0);
    char *pidtext = read_file(pidfile, 64, NULL, NULL);
    pid_t gc = pidtext ? (pid_t)atoi(pidtext) : 0;
    CHECK(gc > 0, "grandchild started");
    usleep(100 * 1000);
    CHECK(gc > 0 && !alive(gc), "the grandchild that left the group is dead too");
    free(pidtext);
    proc_result_free(&r);

    char *flood[] = {"/usr/bin/yes", NULL};
    ProcSpec fs = {.argv = flood, .timeout = 20, .keep = 100, .flood = 1 << 20};
    proc_run(&fs, &r);
    CHECK(r.status == PROC_FLOOD && r.outlen == 100 && r.out_cut, "yes is a FLOOD, output kept to 100 bytes");
    proc_result_free(&r);

    char *missing[] = {"/nonexistent/program", NULL};
    ProcSpec ms = {.argv = missing, .timeout = 5, .keep = 100, .flood = 1 << 20};
    proc_run(&ms, &r);
    CHECK(r.status == PROC_SPAWN_FAILED && strstr(r.why, "No such file"), "a missing program is SPAWN_FAILED");
    proc_result_free(&r);

    char *crash[] = {"/bin/sh", "-c", "kill -SEGV $$", NULL};
    ProcSpec cs = {.argv = crash, .timeout = 5, .keep = 100, .flood = 1 << 20};
    proc_run(&cs, &r);
    CHECK(r.status == PROC_SIGNALED && r.sig == SIGSEGV, "a crash is SIGNALED SEGV");
    proc_result_free(&r);

    char *closes[] = {"/bin/sh", "-c", "exec 2>&-; echo out; exit 3", NULL};
    ProcSpec xs = {.argv = closes, .timeout = 5, .keep = 100, .flood = 1 << 20};
    proc_run(&xs, &r);
    CHECK(r.status == PROC_EXITED && r.code == 3 && !strcmp(r.out, "out\n"), "closing stderr loses nothing else");
    proc_result_free(&r);
    free(script);
    free(pidfile);
}

/* After fork() the child's log repeats its parent's "reported N warnings"
 * and holds none of them (tests/reports/fork: a real pair): read per
 * process, that is no problem; a counter nobody's log explains is. */
static void test_tsan_fork(const char *reports)
{
    char *dir = path_join(reports, "fork");
    struct dirent **names = NULL;
    int nn = scandir(dir, &names, NULL, alphasort); /* the parent's pid is the lower */
    Report r;
    report_init(&r);
    TsanLogCounts c[2] = {{NULL, -1, 0}, {NULL, -1, 0}};
    int got = 0;
    for (int i = 0; i < nn; i++) {
        if (got < 2 && !strncmp(names[i]->d_name, "tsan.", 5)) {
            char *p = path_join(dir, names[i]->d_name);
            size_t len = 0;
            char *text = read_file(p, 1 << 20, &len, NULL);
            c[got] = (TsanLogCounts){"log", -1, 0};
            if (text)
                tsan_parse_log(text, len, &r, NULL, &c[got++]);
            free(text);
            free(p);
        }
        free(names[i]);
    }
    free(names);
    CHECK(got == 2, "two recorded logs in %s", dir);
    CHECK(c[0].announced == 1 && c[0].blocks == 1, "parent: 1 announced, 1 held (%ld, %ld)", c[0].announced,
          c[0].blocks);
    CHECK(c[1].announced == 1 && c[1].blocks == 0, "child: repeats the counter (%ld, %ld)", c[1].announced,
          c[1].blocks);
    tsan_check_counts(c, 2, &r);
    CHECK(!r.problem && r.n == 1, "a fork after a report is not a problem: %s", r.problem ? r.problem : "");
    report_free(&r);

    report_init(&r);
    tsan_check_counts(&c[1], 1, &r);
    CHECK(r.problem && strstr(r.problem, "reported 1 warnings"), "the child's log alone is missing one");
    report_free(&r);

    TsanLogCounts forged[2] = {{"tsan.1", 1, 1}, {"tsan.2", 5, 0}};
    report_init(&r);
    tsan_check_counts(forged, 2, &r);
    CHECK(r.problem && strstr(r.problem, "tsan.2"), "a counter above any other process's is a problem");
    report_free(&r);
    free(dir);
}

static double busy_cpu;

static void *busy_thread(void *arg)
{
    (void)arg;
    struct timespec ts;
    do
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    while (busy_cpu <= 0 || ts.tv_sec + ts.tv_nsec / 1e9 < busy_cpu);
    return NULL;
}

static int busy_main(int n, double cpu)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 2;
    int first = 0;
    while (first < CPU_SETSIZE && !CPU_ISSET(first, &set))
        first++;
    CPU_ZERO(&set);
    CPU_SET(first, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) /* every thread on one CPU */
        return 2;
    busy_cpu = cpu;
    pthread_t t[64];
    for (int i = 0; i < n && i < 64; i++)
        pthread_create(&t[i], NULL, busy_thread, NULL);
    for (int i = 0; i < n && i < 64; i++)
        pthread_join(t[i], NULL);
    return 0;
}

/* A limit counts the time a run could use: 8 threads that need 1.6 s of
 * one CPU finish under a 1 s limit (they waited for the CPU, the limit
 * grows), a thread that spins for ever still times out (by 4 s). */
static void test_time_extension(const char *self)
{
    char *busy[] = {(char *)self, "--busy", "8", "0.2", NULL};
    ProcSpec ps = {.argv = busy, .timeout = 1, .keep = 1024, .flood = 1 << 20};
    ProcResult r;
    proc_run(&ps, &r);
    CHECK(r.status == PROC_EXITED && r.code == 0, "8 busy threads on one CPU finish under a 1 s limit: %s after %.1f s",
          r.why ? r.why : proc_status_name(r.status), r.wall);
    CHECK(r.wall > 1.0 && r.cpu_wait > 0.5, "they needed more than 1 s and waited for the CPU (%.1f s, waited %.1f s)",
          r.wall, r.cpu_wait);
    proc_result_free(&r);
    char *spin[] = {(char *)self, "--busy", "1", "0", NULL};
    ProcSpec ss = {.argv = spin, .timeout = 1, .keep = 1024, .flood = 1 << 20};
    proc_run(&ss, &r);
    CHECK(r.status == PROC_TIMEOUT && r.wall < 5.5, "a thread spinning for ever times out (%s after %.1f s)",
          proc_status_name(r.status), r.wall);
    proc_result_free(&r);
}

/* The early deadlock check (stuck.c): a run whose threads all sleep in a
 * futex wait with no time limit is a deadlock at once, not at its limit;
 * an alarm, a timed wait, a child or an orphaned grandchild that will post
 * is waited for. */
static void test_stuck(const char *prog)
{
    static const char *const modes[] = {"deadlock", "alarm", "timed", "child", "orphan"};
    for (size_t i = 0; i < ARRAY_LEN(modes); i++) {
        char *argv[] = {(char *)prog, (char *)modes[i], NULL};
        ProcSpec ps = {.argv = argv, .timeout = 20, .keep = 1024, .flood = 1 << 20, .watch_stuck = true};
        ProcResult r;
        proc_run(&ps, &r);
        if (i == 0)
            CHECK(r.status == PROC_DEADLOCK && r.wall < 5 && r.why && strstr(r.why, "all 2 threads blocked"),
                  "a lock-order deadlock is called one in %.1f s, not at its 20 s limit: %s", r.wall,
                  r.why ? r.why : proc_status_name(r.status));
        else
            CHECK(r.status == PROC_EXITED && r.code == 0 && r.wall >= 0.9,
                  "%s: asleep in futex for 1 s, then woken: it finishes (%s after %.1f s)", modes[i],
                  r.why ? r.why : proc_status_name(r.status), r.wall);
        proc_result_free(&r);
    }
}

/* The same through a sandbox (bwrap, with a pid namespace: bwrap, bwrap
 * as the namespace's init, then the program), as the grader runs it: the
 * program below the wrappers is looked at. The orphaned grandchild is
 * adopted by the namespace's init, which then has two children: not
 * stuck. Without stuck_through, the wrapper alone is seen: never stuck. */
static void test_stuck_wrapped(const char *prog)
{
    char *bwrap = realpath(tool_paths.bwrap, NULL);
    if (!bwrap) {
        CHECK(false, "bwrap (%s) is not installed", tool_paths.bwrap);
        return;
    }
    static const char *const modes[] = {"deadlock", "orphan", "deadlock"};
    for (size_t i = 0; i < ARRAY_LEN(modes); i++) {
        bool through = i < 2;
        char *argv[] = {bwrap, "--unshare-pid", "--die-with-parent", "--dev-bind", "/", "/", "--",
                        (char *)prog, (char *)modes[i], NULL};
        ProcSpec ps = {.argv = argv, .timeout = through ? 20 : 2, .keep = 1024, .flood = 1 << 20,
                       .watch_stuck = true, .stuck_through = through ? bwrap : NULL};
        ProcResult r;
        proc_run(&ps, &r);
        if (i == 0)
            CHECK(r.status == PROC_DEADLOCK && r.wall < 5 && r.why && strstr(r.why, "all 2 threads blocked"),
                  "through bwrap, a deadlock is called one in %.1f s, not at its 20 s limit: %s", r.wall,
                  r.why ? r.why : proc_status_name(r.status));
        else if (i == 1)
            CHECK(r.status == PROC_EXITED && r.code == 0 && r.wall >= 0.9,
                  "through bwrap, an orphan that will post is waited for (%s after %.1f s)",
                  r.why ? r.why : proc_status_name(r.status), r.wall);
        else
            CHECK(r.status != PROC_EXITED && r.wall >= 1.9, "not looking through bwrap: the limit (%s after %.1f s)",
                  r.why ? r.why : proc_status_name(r.status), r.wall);
        proc_result_free(&r);
    }
    free(bwrap);
}

/* SARIF's semanticVersion is SemVer: three numbers, whatever the tool says. */
static void test_semver(void)
{
    static const char *const cases[][2] = {
        {"14.0.6", "14.0.6"}, {"0.3", "0.3.0"}, {"3.19.0.GIT", "3.19.0"}, {"12", "12.0.0"}, {"v1", NULL}, {"", NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *got = semver_of(cases[i][0]);
        CHECK(cases[i][1] ? got && !strcmp(got, cases[i][1]) : !got, "semver_of(\"%s\") = %s", cases[i][0],
              got ? got : "NULL");
        free(got);
    }
    char *own = semver_of(racelab_version());
    ToolVersion tv = tool_version(TOOL_EXPLORE);
    CHECK(own && !strcmp(tv.version, racelab_version()) && !strcmp(tv.semver, own), "explore is racelab's version");
    free(own);
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--busy"))
        return busy_main(atoi(argv[2]), atof(argv[3]));
    if (argc != 3) {
        fprintf(stderr, "usage: engine-units tests/reports STUCK-PROGRAM\n");
        return 2;
    }
    char tmpl[] = "/tmp/racelab-unit-XXXXXX";
    tmpdir = mkdtemp(tmpl);
    if (!tmpdir)
        return 2;
    test_expr();
    test_spec();
    test_verdicts();
    test_proc();
    test_tsan_fork(argv[1]);
    test_semver();
    test_stuck(argv[2]);
    test_stuck_wrapped(argv[2]);
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        test_time_extension(self);
    }
    remove_tree(tmpdir);
    return test_summary();
}
