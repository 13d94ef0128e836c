/* Unit tests of `racelab check`'s own parts: broken reports must make the
 * gate undecided through check_judge (the one path every run takes),
 * fingerprints must ignore lines and order, the baseline must count, and
 * the writers must produce valid output from hostile strings.
 * usage: check-units REPORTS_DIR OUT_DIR
 * (REPORTS_DIR: tests/reports; OUT_DIR gets writers.{json,sarif,xml} for
 * the validators in run.sh) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

#include "alloc.h"
#include "baseline.h"
#include "check.h"
#include "elf_symbols.h"
#include "fs.h"
#include "json_report.h"
#include "junit.h"
#include "sarif.h"
#include "strbuf.h"
#include "tsan_report.h"
#include "utf8.h"
#include "vg_report.h"

/* A recorded report as if its run had otherwise gone fine: the verdict
 * must come from the report alone. */
static int gate_on_report(const char *dir, const char *file, ToolId tool, char **error)
{
    char *path = path_join(dir, file);
    size_t len = 0;
    char *text = read_file(path, 1u << 24, &len, NULL);
    CheckOptions o = {.source_root = "/"};
    ToolResult tr = {.tool = tool, .ran = true};
    report_init(&tr.run.report);
    if (!text) {
        printf("cannot read %s\n", path);
        free(path);
        return -1;
    }
    if (tool == TOOL_TSAN)
        tsan_parse(text, len, &tr.run.report, NULL);
    else
        vg_parse(text, len, tool, &tr.run.report, NULL);
    check_judge(&tr, NULL, NULL);
    CheckRun r = {.opt = &o, .results = &tr, .nresults = 1};
    int code = check_exit_code(&r);
    *error = tr.error ? xstrdup(tr.error) : NULL;
    for (size_t i = 0; i < tr.run.report.n; i++)
        free(tr.fingerprints[i]), free(tr.keys[i]);
    free(tr.fingerprints);
    free(tr.keys);
    free(tr.baselined);
    free(tr.limitation);
    free(tr.error);
    report_free(&tr.run.report);
    free(text);
    free(path);
    return code;
}

static void test_broken_reports(const char *dir)
{
    static const struct {
        const char *file;
        ToolId tool;
        int code;
        const char *says;
    } cases[] = {
        {"tsan-truncated.log", TOOL_TSAN, CHECK_UNDECIDED, "truncated"},
        {"tsan-garbled.log", TOOL_TSAN, CHECK_UNDECIDED, "garbled"},
        {"tsan-check-failed.log", TOOL_TSAN, CHECK_UNDECIDED, "failed internally"},
        {"tsan-mmap.log", TOOL_TSAN, CHECK_UNDECIDED, "vm.mmap_rnd_bits=28"},
        {"tsan-segv.log", TOOL_TSAN, CHECK_UNDECIDED, "crashed"},
        {"helgrind-truncated.xml", TOOL_HELGRIND, CHECK_UNDECIDED, "truncated"},
        {"drd-malformed.xml", TOOL_DRD, CHECK_UNDECIDED, "malformed"},
        {"garbage.xml", TOOL_HELGRIND, CHECK_UNDECIDED, "Valgrind"},
        {"memcheck-wrong-tool.xml", TOOL_MEMCHECK, CHECK_UNDECIDED, "expected 'memcheck'"},
        /* controls: whole reports are findings, so the cases above are not
         * undecided for some other reason */
        {"tsan-race-lockorder-leak.log", TOOL_TSAN, CHECK_FINDINGS, NULL},
        {"drd-race.xml", TOOL_DRD, CHECK_FINDINGS, NULL},
        {"helgrind-race-lockorder.xml", TOOL_HELGRIND, CHECK_FINDINGS, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *err = NULL;
        int code = gate_on_report(dir, cases[i].file, cases[i].tool, &err);
        CHECK(code == cases[i].code, "%s: exit %d, want %d (%s)", cases[i].file, code, cases[i].code,
              err ? err : "no error");
        if (cases[i].says)
            CHECK(err && strstr(err, cases[i].says), "%s: error '%s' should mention '%s'", cases[i].file,
                  err ? err : "(none)", cases[i].says);
        free(err);
    }
}

static Finding *race(Report *r, const char *fn1, int line1, const char *fn2, int line2)
{
    Finding *f = report_add(r, TOOL_TSAN, "data-race");
    f->var = xstrdup("counter");
    stack_add_frame(finding_add_stack(f, "Write", true), fn1, "/src/a.c", line1);
    stack_add_frame(finding_add_stack(f, "Previous read", true), fn2, "/src/a.c", line2);
    stack_add_frame(finding_add_stack(f, "Thread T1 created at", false), "main", "/src/a.c", 90);
    return f;
}

static void test_fingerprints(void)
{
    Report r;
    report_init(&r);
    race(&r, "writer", 10, "reader", 20);
    race(&r, "writer", 15, "reader", 31); /* the same race, code moved */
    race(&r, "reader", 31, "writer", 15); /* the accesses the other way round */
    race(&r, "writer", 10, "other", 20);  /* another function: another race */
    char *k[4];
    for (int i = 0; i < 4; i++)
        k[i] = fingerprint_key(&r.items[i], NULL);
    CHECK(!strcmp(k[0], k[1]), "line numbers must not change the key: %s / %s", k[0], k[1]);
    CHECK(!strcmp(k[0], k[2]), "the order of the accesses must not: %s / %s", k[0], k[2]);
    CHECK(strcmp(k[0], k[3]) != 0, "a function name must: %s", k[3]);
    CHECK(!strcmp(k[0], "tsan/data-race|counter|reader@a.c|writer@a.c"), "key %s", k[0]);
    char *fp = fingerprint_of_key(k[0]);
    CHECK(strlen(fp) == 16 && strspn(fp, "0123456789abcdef") == 16, "fingerprint %s", fp);

    /* Two findings with one fingerprint need two accepted entries. */
    Baseline b = {0};
    baseline_add(&b, fp, k[0], "tsan", "s");
    CHECK(baseline_take(&b, fp), "first is accepted");
    CHECK(!baseline_take(&b, fp), "second is new: the baseline accepted one");
    CHECK(!baseline_take(&b, "0000000000000000"), "unknown fingerprint is new");

    /* save, load: same entries, counts kept */
    baseline_add(&b, fp, k[0], "tsan", "s");
    char *path = xasprintf("%s/baseline-%d.json", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    char *err = NULL;
    CHECK(baseline_save(&b, path, &err), "save: %s", err ? err : "");
    Baseline l = {0};
    CHECK(baseline_load(path, &l, &err), "load: %s", err ? err : "");
    CHECK(l.n == 1 && l.items[0].count == 2 && !strcmp(l.items[0].fingerprint, fp), "loaded %zu entries", l.n);
    write_file(path, "{\"findings\": []}", 16);
    Baseline bad = {0};
    char *err2 = NULL;
    CHECK(!baseline_load(path, &bad, &err2) && err2, "a file without the version is refused");
    free(err);
    free(err2);
    remove(path);
    free(path);
    baseline_free(&b);
    baseline_free(&l);
    baseline_free(&bad);
    for (int i = 0; i < 4; i++)
        free(k[i]);
    free(fp);
    report_free(&r);
}

static void test_uris(void)
{
    CheckOptions o = {.source_root = "/work/proj"};
    CheckRun r = {.opt = &o};
    bool rel = false;
    char *u = check_uri(&r, "/work/proj/src/a b%.c", &rel);
    CHECK(rel && !strcmp(u, "src/a%20b%25.c"), "under the root: relative, escaped: %s", u);
    free(u);
    u = check_uri(&r, "/work/project2/x.c", &rel);
    CHECK(!rel && !strcmp(u, "file:///work/project2/x.c"), "a sibling that shares the prefix is outside: %s", u);
    free(u);
    u = check_uri(&r, "./lib/y.c", &rel);
    CHECK(rel && !strcmp(u, "lib/y.c"), "relative stays relative: %s", u);
    free(u);
    u = check_root_uri(&r);
    CHECK(!strcmp(u, "file:///work/proj/"), "root uri ends with a slash: %s", u);
    free(u);
}

static void test_xml(void)
{
    StrBuf sb = STRBUF_INIT;
    xml_escape(&sb, "a<b>&\"'\t\n\x01\xff", true);
    CHECK(!strcmp(sb.buf, "a&lt;b&gt;&amp;&quot;&apos;&#9;&#10;\\x01\\xff"), "attribute: %s", sb.buf);
    sb_free(&sb);
    xml_escape(&sb, "x\"y'\n\x1b \xef\xbf\xbe", false);
    CHECK(!strcmp(sb.buf, "x\"y'\n\\x1b \\xef\\xbf\\xbe"), "text: %s", sb.buf);
    sb_free(&sb);
}

static void test_elf(const char *dir)
{
    bool found = true;
    char *err = NULL;
    char *p = path_join(dir, "tsan-mmap.log");
    CHECK(!elf_has_symbol(p, "__tsan_init", &found, &err) && err && strstr(err, "not an ELF"), "text file: %s",
          err ? err : "accepted");
    free(err);
    free(p);
    /* A header that claims a section table past the end of the file. */
    char *trunc = xasprintf("%s/elf-%d", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    char hdr[64] =
        "\x7f"
        "ELF\x02\x01\x01";
    hdr[0x28] = 0x7f; /* e_shoff far away */
    hdr[0x3a] = 64;   /* e_shentsize */
    hdr[0x3c] = 5;    /* e_shnum */
    write_file(trunc, hdr, sizeof hdr);
    err = NULL;
    CHECK(!elf_has_symbol(trunc, "__tsan_init", &found, &err) && err, "a bad section table is refused");
    free(err);
    remove(trunc);
    free(trunc);
}

/* Hostile strings through every writer; run.sh validates the files. */
static void write_hostile(const char *out)
{
    CheckOptions o = {.source_root = "/src", .tools = 1u << TOOL_TSAN, .baseline_path = "b.json"};
    Baseline b = {0};
    o.baseline = &b;
    ToolResult tr = {.tool = TOOL_TSAN, .ran = true};
    report_init(&tr.run.report);
    Finding *f = race(&tr.run.report, "w<ri>ter&\"'", 3,
                      "r\x01"
                      "ead\xff",
                      4);
    f->message = xstrdup("a <b> & \"c\" 'd' \x1b[0m \xc3\xa9 \xff end ]]>");
    finding_add_thread(f, "T1 <main> & \"co\"");
    check_judge(&tr, NULL, &b);
    CheckRun r = {.opt = &o, .name = "hostile<&>", .results = &tr, .nresults = 1};
    r.nfindings = r.nnew = tr.nnew;
    r.exit_code = check_exit_code(&r);
    CHECK(r.exit_code == CHECK_FINDINGS, "one new finding: exit %d", r.exit_code);
    char *err = NULL;
    char *pj = path_join(out, "writers.json"), *ps = path_join(out, "writers.sarif"),
         *px = path_join(out, "writers.xml");
    CHECK(json_report_write(&r, pj, &err), "json: %s", err ? err : "");
    CHECK(sarif_write(&r, ps, &err), "sarif: %s", err ? err : "");
    CHECK(junit_write(&r, px, &err), "junit: %s", err ? err : "");
    free(err);
    free(pj), free(ps), free(px);
    for (size_t i = 0; i < tr.run.report.n; i++)
        free(tr.fingerprints[i]), free(tr.keys[i]);
    free(tr.fingerprints);
    free(tr.keys);
    free(tr.baselined);
    free(tr.limitation);
    report_free(&tr.run.report);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s REPORTS_DIR OUT_DIR\n", argv[0]);
        return 2;
    }
    test_broken_reports(argv[1]);
    test_fingerprints();
    test_uris();
    test_xml();
    test_elf(argv[1]);
    write_hostile(argv[2]);
    return test_summary();
}
