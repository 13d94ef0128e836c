/* Unit tests of harness/base: the contracts of StrBuf and StrVec, array
 * growth, the one UTF-8 policy, atomic writes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "fs.h"
#include "strbuf.h"
#include "strvec.h"
#include "text.h"
#include "utf8.h"

#include "test.h"

static void test_strbuf(void)
{
    StrBuf sb = STRBUF_INIT;
    CHECK(sb.buf && !strcmp(sb.buf, "") && sb.len == 0, "an empty StrBuf is a valid empty string");
    sb_reset(&sb);
    CHECK(sb.buf && !*sb.buf, "reset of an empty StrBuf keeps buf valid");
    sb_add(&sb, "abc");
    sb_addch(&sb, '-');
    sb_addf(&sb, "%d", 42);
    sb_addn(&sb, "xyz", 2);
    CHECK(!strcmp(sb.buf, "abc-42xy") && sb.len == 8, "appends: %s", sb.buf);
    char *s = sb_steal(&sb);
    CHECK(!strcmp(s, "abc-42xy") && sb.buf && !*sb.buf && !sb.len, "steal leaves an empty, usable StrBuf");
    free(s);
    s = sb_steal(&sb);
    CHECK(s && !*s, "stealing an empty StrBuf gives a malloc'd \"\"");
    free(s);
    for (int i = 0; i < 10000; i++)
        sb_addch(&sb, 'x');
    CHECK(sb.len == 10000 && strlen(sb.buf) == 10000, "grows past many doublings");
    sb_free(&sb);
    CHECK(sb.buf == strbuf_empty && !sb.len && !sb.cap, "free returns it to STRBUF_INIT");
}

static void test_strvec(void)
{
    StrVec sv = STRVEC_INIT;
    CHECK(sv.v && !sv.v[0] && !sv.n, "an empty StrVec is a valid empty argv");
    strvec_push(&sv, "cc");
    strvec_pushf(&sv, "-O%d", 1);
    strvec_push_words(&sv, "  -g\t-Wall \n -pthread ");
    CHECK(sv.n == 5 && !strcmp(sv.v[2], "-g") && !strcmp(sv.v[4], "-pthread") && !sv.v[5],
          "push, pushf and words, NULL-terminated (%zu)", sv.n);
    char *q = strvec_join_quoted(&sv);
    CHECK(!strcmp(q, "cc -O1 -g -Wall -pthread"), "plain words stay unquoted: %s", q);
    free(q);
    strvec_push(&sv, "it's a file");
    q = strvec_join_quoted(&sv);
    CHECK(ends_with(q, " 'it'\\''s a file'"), "quoted for a shell: %s", q);
    free(q);
    strvec_truncate(&sv, 1);
    CHECK(sv.n == 1 && !sv.v[1], "truncate keeps the terminator");
    char *const extra[] = {"a", "b", NULL};
    strvec_pushv(&sv, extra);
    strvec_pushv(&sv, NULL);
    CHECK(sv.n == 3 && !strcmp(sv.v[2], "b"), "pushv of a vector and of NULL");
    char **v = strvec_detach(&sv);
    CHECK(v[3] == NULL && sv.v && !sv.n, "detach hands over the vector and empties sv");
    strv_free(v);
    strvec_clear(&sv);
    v = strvec_detach(&sv);
    CHECK(v && !v[0], "detaching an empty StrVec gives a malloc'd empty vector");
    strv_free(v);
}

static void test_grow(void)
{
    int *a = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < 1000; i++)
        PUSH(a, n, cap, i);
    CHECK(n == 1000 && cap >= 1000 && a[999] == 999, "PUSH grows and keeps every item");
    free(a);
}

static void test_printable(void)
{
    char *p = printable("caf\xe9.c", 6);
    CHECK(!strcmp(p, "caf\\xe9.c"), "a Latin-1 byte becomes \\xe9, got %s", p);
    free(p);
    p = printable("caf\xc3\xa9\n\t\x01", 8);
    CHECK(!strcmp(p, "caf\xc3\xa9\n\t\\x01"), "UTF-8 kept, control bytes escaped, got %s", p);
    free(p);
    p = printable("a\0b", 3);
    CHECK(!strcmp(p, "a\\x00b"), "NUL escaped, got %s", p);
    free(p);
    p = printable("\xed\xa0\x80 \xc0\xaf \xf4\x90\x80\x80", 11);
    CHECK(!strcmp(p, "\\xed\\xa0\\x80 \\xc0\\xaf \\xf4\\x90\\x80\\x80"), "surrogate, overlong, past U+10FFFF: %s", p);
    free(p);
    p = printable_str(
        "x\xe2\x80\xae"
        "evil\xc2\x9b"
        "y");
    CHECK(!strcmp(p, "x\\xe2\\x80\\xaeevil\\xc2\\x9by"), "bidi override and C1 control escaped: %s", p);
    free(p);
    p = printable("\xe2\x82", 2);
    CHECK(!strcmp(p, "\\xe2\\x82"), "a sequence cut off at the end: %s", p);
    free(p);
    p = printable_str(NULL);
    CHECK(p && !*p, "NULL is \"\"");
    free(p);
    CHECK(utf8_seq_len("\xf0\x9f\x98\x80", 4) == 4 && utf8_seq_len("\xf0\x9f\x98\x80", 3) == 0,
          "a 4-byte sequence needs 4 bytes");
}

static void test_text_line(void)
{
    static const char text[] = "one\n\n  three\nfour";
    const char *l = NULL;
    size_t n = 0;
    CHECK(text_line(text, strlen(text), 1, &l, &n) && n == 3 && !strncmp(l, "one", 3), "line 1");
    CHECK(text_line(text, strlen(text), 2, &l, &n) && n == 0, "an empty line 2");
    CHECK(text_line(text, strlen(text), 3, &l, &n) && n == 7 && !strncmp(l, "  three", 7), "line 3, blanks kept");
    CHECK(text_line(text, strlen(text), 4, &l, &n) && n == 4 && !strncmp(l, "four", 4), "a last line with no newline");
    CHECK(!text_line(text, strlen(text), 5, &l, &n) && !text_line(text, strlen(text), 0, &l, &n),
          "no line 5, no line 0");
    CHECK(!text_line("a\n", 2, 2, &l, &n), "nothing after the last newline is a line");
}

static void test_files(void)
{
    char dir[] = "/tmp/racelab-base-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char *sub = path_join(dir, "a/b/c");
    CHECK(mkdir_p(sub) && is_dir(sub), "mkdir_p makes every level");
    char *f = path_join(sub, "x.json");
    char *err = NULL;
    CHECK(write_file_atomic(f, "12345", 5, &err), "atomic write: %s", err ? err : "");
    size_t len = 0;
    bool cut = false;
    char *back = read_file(f, 3, &len, &cut);
    CHECK(back && len == 3 && cut && !strcmp(back, "123"), "read_file stops at max and says so");
    free(back);
    char *bad = path_join(dir, "missing/x");
    CHECK(!write_file_atomic(bad, "1", 1, &err) && err && strstr(err, "cannot write"), "a failed write says why");
    free(err);
    CHECK(!file_exists(bad), "and leaves nothing behind");
    chmod(sub, 0500); /* a program may leave its run directory read-only */
    CHECK(remove_tree(dir) && !file_exists(dir), "remove_tree removes it all");
    char *stem = path_stem("/x/y/name.tar.gz");
    CHECK(!strcmp(stem, "name.tar"), "path_stem: %s", stem);
    free(stem);
    stem = path_stem(".hidden");
    CHECK(!strcmp(stem, ".hidden"), "a dot file is its own stem: %s", stem);
    free(stem);
    free(sub), free(f), free(bad);
}

int main(void)
{
    test_strbuf();
    test_strvec();
    test_grow();
    test_printable();
    test_text_line();
    test_files();
    return test_summary();
}
