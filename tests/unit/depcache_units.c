/* engine/depcache.c's hashes and manifests: files by XXH3-128, read in
 * pieces; a manifest holds every file's 128 bits and is trusted only while
 * each file hashes the same; a manifest of the old format (FNV-1a 64) is
 * not read. (gate.build-cache* test the cache through `racelab check`.)
 * usage: depcache-units */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"

#include "alloc.h"
#include "depcache.h"
#include "fs.h"
#include "strbuf.h"

static char *dir;

static char *at(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static void put_file(const char *name, const char *text, size_t len)
{
    char *p = at(name);
    CHECK(write_file(p, text, len), "cannot write %s", p);
    free(p);
}

static void test_file_hash(void)
{
    uint64_t h = 0;
    /* XXH3-128's test vectors (low 64 bits): nothing, and "abc" */
    put_file("empty", "", 0);
    char *p = at("empty");
    CHECK(depcache_file_hash(p, &h) && h == 0x6001c324468d497fULL, "empty: %016llx", (unsigned long long)h);
    free(p);
    put_file("abc", "abc", 3);
    p = at("abc");
    CHECK(depcache_file_hash(p, &h) && h == 0x78af5f94892f3950ULL, "abc: %016llx", (unsigned long long)h);
    free(p);

    /* read in 64 KiB pieces: a file across many pieces hashes as its
     * bytes do whole (depcache_record hashes them whole) */
    size_t n = (5u << 16) + 123;
    char *big = xmalloc(n);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)(i * 2654435761u >> 13);
    put_file("big", big, n);
    p = at("big");
    uint64_t h1 = 0, h2 = 0;
    CHECK(depcache_file_hash(p, &h1), "big: cannot hash");
    big[n - 1] ^= 1;
    put_file("big", big, n);
    CHECK(depcache_file_hash(p, &h2) && h1 != h2, "one bit in the last piece changes it");
    free(p);
    free(big);

    p = at("missing");
    CHECK(!depcache_file_hash(p, &h), "a missing file has no hash");
    free(p);
    CHECK(!depcache_file_hash(dir, &h), "a directory has no hash");
    /* over 64 MiB: no hash (a sparse file: no disk) */
    p = at("huge");
    FILE *f = fopen(p, "wb");
    CHECK(f && ftruncate(fileno(f), (64 << 20) + 1) == 0, "cannot make %s", p);
    if (f)
        fclose(f);
    CHECK(!depcache_file_hash(p, &h), "a file over 64 MiB has no hash");
    CHECK(truncate(p, 64 << 20) == 0 && depcache_file_hash(p, &h), "one of 64 MiB has one");
    remove(p);
    free(p);
}

static char *manifest_text(const char *manifest)
{
    char *t = read_file(manifest, 1u << 20, NULL, NULL);
    return t ? t : xstrdup("");
}

static void test_manifest(void)
{
    /* the manifest out of the sources' directories, which it watches */
    char *top = at("src"), *inc = at("src/inc"), *src = at("src/a.c"), *hdr = at("src/inc/b.h"),
         *manifest = at("deps");
    CHECK(mkdir(top, 0755) == 0 && mkdir(inc, 0755) == 0, "mkdir %s", inc);
    put_file("src/a.c", "#include \"b.h\"\nint x = B;\n", 26);
    put_file("src/inc/b.h", "#define B 1\n", 12);
    /* what `cc -E -Iinc a.c` writes: line markers name both files */
    StrBuf pp = STRBUF_INIT;
    sb_addf(&pp, "# 1 \"%s\"\n# 1 \"<built-in>\"\n# 1 \"%s\" 1\n\n# 2 \"%s\" 2\nint x = 1;\n", src, hdr, src);
    StrVec search = STRVEC_INIT;
    strvec_push(&search, inc);
    depcache_record(manifest, pp.buf, pp.len, &search, 0x0123456789abcdefULL);
    char *t = manifest_text(manifest);
    CHECK(!strncmp(t, "racelab-deps 2 0123456789abcdef\n", 32), "the header: %.40s", t);
    /* each file by its 32 hex digits of XXH3-128 */
    char *want = xasprintf("\nf %s %s\n", "85d28ab496a31438b9ab155062edd8f6", hdr);
    put_file("src/inc/b.h", "racelab", 7);
    uint64_t unit = 0;
    CHECK(!depcache_lookup(manifest, &unit), "a header changed: the manifest does not hold");
    depcache_record(manifest, pp.buf, pp.len, &search, 0x0123456789abcdefULL);
    free(t);
    t = manifest_text(manifest);
    CHECK(strstr(t, want), "b.h by XXH3-128 (\"racelab\" is 85d28ab4...): %s", t);
    free(want);
    unit = 0;
    CHECK(depcache_lookup(manifest, &unit) && unit == 0x0123456789abcdefULL, "nothing changed: it holds: %llx",
          (unsigned long long)unit);
    put_file("src/inc/b.h", "racelaB", 7); /* same size, another byte */
    CHECK(!depcache_lookup(manifest, &unit), "one byte changed: it does not hold");
    put_file("src/inc/b.h", "racelab", 7);
    CHECK(depcache_lookup(manifest, &unit), "changed back: it holds again (by content, not time)");

    /* the manifest's own damage: a hash cut short, or the old format */
    StrBuf bad = STRBUF_INIT;
    char *line = strstr(t, "\nf ");
    CHECK(line != NULL, "a file line");
    if (line) {
        sb_addn(&bad, t, (size_t)(line - t) + 3 + 16); /* the first 16 of 32 digits */
        sb_addf(&bad, " %s\n", src);
        write_file(manifest, bad.buf, bad.len);
        CHECK(!depcache_lookup(manifest, &unit), "a hash of 16 digits does not hold");
    }
    sb_reset(&bad);
    sb_addn(&bad, t, strlen(t));
    bad.buf[strlen("racelab-deps ")] = '1';
    write_file(manifest, bad.buf, bad.len);
    CHECK(!depcache_lookup(manifest, &unit), "a manifest of format 1 (FNV-1a) is not read");
    sb_free(&bad);
    free(t);

    remove(manifest);
    remove(hdr);
    remove(src);
    rmdir(inc);
    rmdir(top);
    strvec_clear(&search);
    sb_free(&pp);
    free(top), free(inc), free(src), free(hdr), free(manifest);
}

int main(void)
{
    char tmpl[] = "/tmp/racelab-depcache-units-XXXXXX";
    const char *tmp = getenv("TMPDIR");
    dir = tmp ? xasprintf("%s/racelab-depcache-units-XXXXXX", tmp) : xstrdup(tmpl);
    CHECK(mkdtemp(dir) != NULL, "mkdtemp %s", dir);
    test_file_hash();
    test_manifest();
    const char *names[] = {"empty", "abc", "big"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = at(names[i]);
        remove(p);
        free(p);
    }
    rmdir(dir);
    free(dir);
    return test_summary();
}
