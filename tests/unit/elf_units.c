/* engine/elf_symbols.c on hostile files: a checked program or a student's
 * object may be malformed on purpose. Each malformed file below must give
 * a clear error or a safe result (no symbols, no names), never a crash, a
 * read out of bounds (the harness's tests run this under ASan and UBSan)
 * or a hang (an alarm ends the program). A small well-formed image is
 * built here, then broken one field at a time; the test program's own
 * executable is read too.
 * usage: elf-units */
#include <elf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

#include "alloc.h"
#include "elf_symbols.h"
#include "fs.h"
#include "strbuf.h"

/* ---- a small ELF image: header, section data, section table ---- */

#define MAXSEC 256

typedef struct {
    char *buf;
    size_t len;
    size_t shoff; /* where the section table is */
    unsigned nsec;
} Img;

typedef struct {
    Elf64_Shdr sh;
    const void *data;
    size_t len;
} Sec;

static void put(Img *im, size_t at, const void *p, size_t n)
{
    if (at + n > im->len) {
        im->buf = xrealloc(im->buf, at + n);
        memset(im->buf + im->len, 0, at + n - im->len);
        im->len = at + n;
    }
    memcpy(im->buf + at, p, n);
}

/* Lays out sections [1..n) after the header, each at an 8-aligned offset,
 * then the table; section 0 is the null one. */
static Img lay_out(Sec *sec, unsigned n, unsigned shstrndx)
{
    Img im = {0};
    size_t at = sizeof(Elf64_Ehdr);
    for (unsigned i = 1; i < n; i++) {
        at = (at + 7) & ~(size_t)7;
        sec[i].sh.sh_offset = at;
        sec[i].sh.sh_size = sec[i].len;
        if (sec[i].len)
            put(&im, at, sec[i].data, sec[i].len);
        at += sec[i].len;
    }
    at = (at + 7) & ~(size_t)7;
    im.shoff = at;
    im.nsec = n;
    for (unsigned i = 0; i < n; i++)
        put(&im, at + i * sizeof(Elf64_Shdr), &sec[i].sh, sizeof(Elf64_Shdr));
    Elf64_Ehdr eh = {.e_type = ET_REL,
                     .e_machine = EM_X86_64,
                     .e_version = EV_CURRENT,
                     .e_shoff = im.shoff,
                     .e_ehsize = sizeof(Elf64_Ehdr),
                     .e_shentsize = sizeof(Elf64_Shdr),
                     .e_shnum = (Elf64_Half)n,
                     .e_shstrndx = (Elf64_Half)shstrndx};
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    put(&im, 0, &eh, sizeof eh);
    return im;
}

static Elf64_Ehdr get_eh(const Img *im)
{
    Elf64_Ehdr eh;
    memcpy(&eh, im->buf, sizeof eh);
    return eh;
}

static void set_eh(Img *im, Elf64_Ehdr eh)
{
    memcpy(im->buf, &eh, sizeof eh);
}

static Elf64_Shdr get_sh(const Img *im, unsigned i)
{
    Elf64_Shdr sh;
    memcpy(&sh, im->buf + im->shoff + i * sizeof sh, sizeof sh);
    return sh;
}

static void set_sh(Img *im, unsigned i, Elf64_Shdr sh)
{
    memcpy(im->buf + im->shoff + i * sizeof sh, &sh, sizeof sh);
}

/* The good image: .symtab (null, __tsan_init, g, puts, tail), .strtab,
 * .shstrtab, and .data that g lies in. */
enum { S_SYMTAB = 1, S_STRTAB, S_SHSTRTAB, S_DATA, S_N };
static const char strtab[] = "\0__tsan_init\0g\0puts\0tail"; /* and its final NUL */
static const char shstrtab[] = "\0.symtab\0.strtab\0.shstrtab\0.data";
#define GADDR 0x1000u

static Img good(void)
{
    static Elf64_Sym syms[5];
    memset(syms, 0, sizeof syms);
    syms[1] = (Elf64_Sym){.st_name = 1, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = S_DATA};
    syms[2] = (Elf64_Sym){.st_name = 13,
                          .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT),
                          .st_shndx = S_DATA,
                          .st_value = GADDR,
                          .st_size = 16};
    syms[3] = (Elf64_Sym){.st_name = 15, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE)};
    syms[4] = (Elf64_Sym){.st_name = 20, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE)};
    static const char data[16] = {1};
    Sec sec[S_N] = {{{0}, NULL, 0}};
    sec[S_SYMTAB] = (Sec){{.sh_name = 1, .sh_type = SHT_SYMTAB, .sh_link = S_STRTAB, .sh_info = 1,
                           .sh_addralign = 8, .sh_entsize = sizeof(Elf64_Sym)},
                          syms, sizeof syms};
    sec[S_STRTAB] = (Sec){{.sh_name = 9, .sh_type = SHT_STRTAB, .sh_addralign = 1}, strtab, sizeof strtab};
    sec[S_SHSTRTAB] = (Sec){{.sh_name = 17, .sh_type = SHT_STRTAB, .sh_addralign = 1}, shstrtab, sizeof shstrtab};
    sec[S_DATA] = (Sec){{.sh_name = 27, .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_WRITE,
                         .sh_addr = GADDR, .sh_addralign = 8},
                        data, sizeof data};
    return lay_out(sec, S_N, S_SHSTRTAB);
}

/* ---- running every entry point on a file ---- */

static char *tmp_path;

typedef struct {
    bool has_ok, found; /* elf_has_symbol(__tsan_init) */
    char *has_err;
    bool opened;
    char *open_err;
    char *imports, *sections; /* joined with commas */
    char *at_g, *at_g8;       /* elf_data_symbol */
} Probe;

static char *joined(const StrVec *v)
{
    StrBuf sb = STRBUF_INIT;
    for (size_t i = 0; i < v->n; i++)
        sb_addf(&sb, "%s%s", i ? "," : "", v->v[i]);
    return sb_steal(&sb);
}

static Probe probe_path(const char *path, const char *symbol)
{
    Probe p = {0};
    p.has_ok = elf_has_symbol(path, symbol, &p.found, &p.has_err);
    ElfImage *e = elf_open(path, &p.open_err);
    p.opened = e != NULL;
    StrVec imp = STRVEC_INIT, sec = STRVEC_INIT;
    elf_imports(e, &imp); /* NULL too: what the callers do */
    elf_sections(e, &sec);
    p.imports = joined(&imp);
    p.sections = joined(&sec);
    p.at_g = elf_data_symbol(e, GADDR);
    p.at_g8 = elf_data_symbol(e, GADDR + 8);
    strvec_clear(&imp);
    strvec_clear(&sec);
    elf_close(e);
    /* the two entry points agree */
    CHECK(p.has_ok == p.opened, "%s: elf_has_symbol %d, elf_open %d", path, p.has_ok, p.opened);
    CHECK(p.has_ok || (p.has_err && *p.has_err), "%s: an error without a message", path);
    return p;
}

static Probe probe_bytes(const void *buf, size_t len)
{
    remove(tmp_path);
    CHECK(write_file(tmp_path, buf, len), "cannot write %s", tmp_path);
    return probe_path(tmp_path, "__tsan_init");
}

static Probe probe(const Img *im)
{
    return probe_bytes(im->buf, im->len);
}

static void probe_free(Probe *p)
{
    free(p->has_err), free(p->open_err), free(p->imports), free(p->sections), free(p->at_g), free(p->at_g8);
}

static const char *str(const char *s)
{
    return s ? s : "(null)";
}

/* Refused, with an error that says so. */
static void expect_error(const char *what, Probe p, const char *words)
{
    CHECK(!p.has_ok && p.has_err && strstr(p.has_err, words), "%s: want an error with \"%s\", got %s", what, words,
          p.has_ok ? "accepted" : str(p.has_err));
    probe_free(&p);
}

/* Read, with these symbols (imports, sections, __tsan_init found). */
static void expect(const char *what, Probe p, bool found, const char *imports, const char *sections)
{
    CHECK(p.has_ok, "%s: refused: %s", what, str(p.has_err));
    CHECK(p.found == found, "%s: __tsan_init %s", what, p.found ? "found" : "not found");
    CHECK(!strcmp(p.imports, imports), "%s: imports \"%s\", want \"%s\"", what, p.imports, imports);
    if (sections)
        CHECK(!strcmp(p.sections, sections), "%s: sections \"%s\", want \"%s\"", what, p.sections, sections);
    probe_free(&p);
}

#define SECTIONS ".symtab,.strtab,.shstrtab,.data"

static void test_good(void)
{
    Img im = good();
    Probe p = probe(&im);
    CHECK(p.at_g && !strcmp(p.at_g, "g"), "the global at its address: %s", str(p.at_g));
    CHECK(p.at_g8 && !strcmp(p.at_g8, "g+8"), "inside it: %s", str(p.at_g8));
    expect("the good image", p, true, "puts,tail", SECTIONS);
    free(im.buf);
}

/* Every prefix of the image: the section table is at its end, so each
 * must be refused. */
static void test_truncated(void)
{
    Img im = good();
    for (size_t n = 0; n < im.len; n++) {
        Probe p = probe_bytes(im.buf, n);
        CHECK(!p.has_ok, "cut to %zu of %zu bytes: accepted", n, im.len);
        probe_free(&p);
    }
    free(im.buf);
}

static void test_header(void)
{
    Img im = good();
    Elf64_Ehdr eh0 = get_eh(&im), eh;

    eh = eh0;
    eh.e_shoff = im.len + 4096; /* past the end */
    set_eh(&im, eh);
    expect_error("section table past EOF", probe(&im), "bad ELF");

    eh = eh0;
    eh.e_shoff = UINT64_MAX - 16; /* offset + size overflows */
    set_eh(&im, eh);
    expect_error("section table offset that wraps", probe(&im), "bad ELF");

    eh = eh0;
    eh.e_shnum = 0xfeff; /* a huge count, the table runs past the end */
    set_eh(&im, eh);
    expect_error("e_shnum huge", probe(&im), "bad ELF");

    /* extended numbering: e_shnum 0, the count in section 0's sh_size */
    eh = eh0;
    eh.e_shnum = 0;
    set_eh(&im, eh);
    Elf64_Shdr s0 = get_sh(&im, 0);
    s0.sh_size = 0xffffffffu;
    set_sh(&im, 0, s0);
    Probe p = probe(&im); /* libelf reads no sections: none */
    CHECK(!p.has_ok || (!p.found && !*p.imports && !*p.sections), "extended section count huge: %s %d %s %s",
          str(p.has_err), p.found, p.imports, p.sections);
    probe_free(&p);
    s0.sh_size = 0;
    set_sh(&im, 0, s0);

    eh = eh0;
    eh.e_shentsize = 40;
    set_eh(&im, eh);
    expect_error("section entries of the wrong size", probe(&im), "section table");

    eh = eh0;
    eh.e_shstrndx = 200; /* no such section: no names, symbols still */
    set_eh(&im, eh);
    expect("e_shstrndx past the table", probe(&im), true, "puts,tail", "");

    eh = eh0;
    eh.e_shstrndx = S_SYMTAB; /* not a string table */
    set_eh(&im, eh);
    p = probe(&im);
    CHECK(p.has_ok, "e_shstrndx on the symbol table: %s", str(p.has_err));
    probe_free(&p);

    eh = eh0;
    eh.e_shstrndx = SHN_XINDEX; /* in section 0's sh_link, which says 0 */
    set_eh(&im, eh);
    expect("e_shstrndx SHN_XINDEX", probe(&im), true, "puts,tail", "");
    set_eh(&im, eh0);

    Elf64_Shdr sh = get_sh(&im, S_DATA);
    sh.sh_name = 0xfffffff0u; /* its name past the names */
    set_sh(&im, S_DATA, sh);
    expect("sh_name past .shstrtab", probe(&im), true, "puts,tail", ".symtab,.strtab,.shstrtab");
    free(im.buf);
}

/* Not 64-bit little-endian ELF, or not ELF at all. */
static void test_not_ours(void)
{
    Img im = good();
    Elf64_Ehdr eh0 = get_eh(&im), eh = eh0;
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    set_eh(&im, eh);
    expect_error("32-bit ELF", probe(&im), "not a 64-bit little-endian ELF");
    eh = eh0;
    eh.e_ident[EI_DATA] = ELFDATA2MSB;
    set_eh(&im, eh);
    expect_error("big-endian ELF", probe(&im), "not a 64-bit little-endian ELF");
    eh = eh0;
    eh.e_ident[EI_CLASS] = 7;
    set_eh(&im, eh);
    Probe p = probe(&im);
    CHECK(!p.has_ok, "an unknown ELF class: accepted");
    probe_free(&p);
    free(im.buf);

    /* a real 32-bit header, as gcc -m32 writes one */
    Elf32_Ehdr e32 = {.e_type = ET_REL, .e_machine = EM_386, .e_version = EV_CURRENT,
                      .e_ehsize = sizeof(Elf32_Ehdr), .e_shentsize = sizeof(Elf32_Shdr)};
    memcpy(e32.e_ident, ELFMAG, SELFMAG);
    e32.e_ident[EI_CLASS] = ELFCLASS32;
    e32.e_ident[EI_DATA] = ELFDATA2LSB;
    e32.e_ident[EI_VERSION] = EV_CURRENT;
    expect_error("a 32-bit object", probe_bytes(&e32, sizeof e32), "not a 64-bit little-endian ELF");

    expect_error("an empty file", probe_bytes("", 0), "not an ELF");
    expect_error("a text file", probe_bytes("#!/bin/sh\necho hi\n", 18), "not an ELF");
    expect_error("the magic alone", probe_bytes(ELFMAG, SELFMAG), "not an ELF");
    expect_error("an ar archive", probe_bytes("!<arch>\n", 8), "not an ELF");
    char zeros[4096] = {0};
    expect_error("zeros", probe_bytes(zeros, sizeof zeros), "not an ELF");

    expect_error("a missing file", probe_path("/nonexistent/racelab-elf", "x"), "cannot read");
    expect_error("a directory", probe_path("/", "x"), "not a regular file");
    /* a FIFO with no writer would block a plain open or read */
    char *fifo = xasprintf("%s.fifo", tmp_path);
    remove(fifo);
    CHECK(mkfifo(fifo, 0600) == 0, "mkfifo %s", fifo);
    expect_error("a FIFO", probe_path(fifo, "x"), "not a regular file");
    remove(fifo);
    free(fifo);
    expect_error("a device", probe_path("/dev/zero", "x"), "not a regular file");
}

static void test_symbol_tables(void)
{
    Img im = good();
    const Elf64_Shdr sym0 = get_sh(&im, S_SYMTAB), str0 = get_sh(&im, S_STRTAB);
    Elf64_Shdr sh;
#define SYMTAB(field, value, what, found, imports)   \
    do {                                             \
        sh = sym0;                                   \
        sh.field = value;                            \
        set_sh(&im, S_SYMTAB, sh);                   \
        expect(what, probe(&im), found, imports, SECTIONS); \
        set_sh(&im, S_SYMTAB, sym0);                 \
    } while (0)
#define STRTAB(field, value, what, found, imports)   \
    do {                                             \
        sh = str0;                                   \
        sh.field = value;                            \
        set_sh(&im, S_STRTAB, sh);                   \
        expect(what, probe(&im), found, imports, SECTIONS); \
        set_sh(&im, S_STRTAB, str0);                 \
    } while (0)
    SYMTAB(sh_offset, im.len + 100, ".symtab past EOF", false, "");
    SYMTAB(sh_offset, UINT64_MAX - 8, ".symtab offset that wraps", false, "");
    SYMTAB(sh_size, UINT64_MAX, ".symtab of 2^64 bytes", false, "");
    SYMTAB(sh_size, (uint64_t)1 << 40, ".symtab of 2^40 bytes (a huge count)", false, "");
    SYMTAB(sh_size, 0, "an empty .symtab", false, "");
    SYMTAB(sh_entsize, 16, ".symtab entries of the wrong size", false, "");
    SYMTAB(sh_entsize, 0, ".symtab entries of no size", false, "");
    SYMTAB(sh_link, 200, "sh_link past the table", false, "");
    SYMTAB(sh_link, 0xffffffffu, "sh_link 2^32-1", false, "");
    SYMTAB(sh_link, 0, "sh_link to the null section", false, "");
    SYMTAB(sh_link, S_SYMTAB, "sh_link to itself", false, "");
    SYMTAB(sh_link, S_SHSTRTAB, "sh_link to the wrong strings (names from .shstrtab)", false, "b,strtab");
    SYMTAB(sh_type, SHT_NOBITS, ".symtab NOBITS", false, "");
    /* a size that is not a whole number of entries: the whole ones */
    sh = sym0;
    sh.sh_size = 4 * sizeof(Elf64_Sym) + 5;
    set_sh(&im, S_SYMTAB, sh);
    Probe p = probe(&im);
    CHECK(p.has_ok && (!*p.imports || !strcmp(p.imports, "puts")), "a part entry: %s %s", str(p.has_err),
          p.imports);
    probe_free(&p);
    set_sh(&im, S_SYMTAB, sym0);

    STRTAB(sh_offset, im.len + 100, ".strtab past EOF", false, "");
    STRTAB(sh_size, UINT64_MAX, ".strtab of 2^64 bytes", false, "");
    STRTAB(sh_type, SHT_NOBITS, ".strtab NOBITS", false, "");
    STRTAB(sh_size, (uint64_t)1 << 40, ".strtab of 2^40 bytes", false, "");
    /* names not NUL-terminated: the last one runs to the end of .strtab,
     * as before (its bytes are the name); cut anywhere in a name, the
     * names before it stay whole */
    STRTAB(sh_size, sizeof strtab - 1, "the last name without its NUL", true, "puts,tail");
    STRTAB(sh_size, sizeof strtab - 3, "the last name cut", true, "puts,ta");
    STRTAB(sh_size, 17, "a name cut in the middle", true, "pu");
    STRTAB(sh_size, 6, "__tsan_init cut", false, "");
    free(im.buf);

    /* .strtab with no NUL at all */
    im = good();
    sh = get_sh(&im, S_STRTAB);
    for (size_t i = 0; i < sh.sh_size; i++)
        im.buf[sh.sh_offset + i] = 'x';
    expect("a .strtab without a NUL", probe(&im), false, "xxxxxxxxxx,xxxxx", SECTIONS);
    free(im.buf);

    /* st_name past the strings, and a symbol's size that wraps */
    im = good();
    sh = get_sh(&im, S_SYMTAB);
    Elf64_Sym s;
    memcpy(&s, im.buf + sh.sh_offset + 3 * sizeof s, sizeof s);
    s.st_name = 0xffffffffu;
    memcpy(im.buf + sh.sh_offset + 3 * sizeof s, &s, sizeof s);
    memcpy(&s, im.buf + sh.sh_offset + 2 * sizeof s, sizeof s);
    s.st_size = UINT64_MAX;
    memcpy(im.buf + sh.sh_offset + 2 * sizeof s, &s, sizeof s);
    p = probe(&im);
    CHECK(p.at_g8 && !strcmp(p.at_g8, "g+8"), "a size of 2^64-1: %s", str(p.at_g8));
    expect("st_name past .strtab", p, true, "tail", SECTIONS);
    free(im.buf);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Files whose tables multiply the reading: many symbol tables over the
 * same bytes, many names over the same string. Each look-up would read
 * far more than the file; they are refused at once. And an object that
 * imports 200,000 names is read in linear time. */
static void test_amplification(void)
{
    enum { NSYM = 50000, NTAB = 200 };
    Elf64_Sym *syms = xcalloc(NSYM, sizeof *syms);
    size_t strlen_ = 1u << 20;
    char *strs = xmalloc(strlen_);
    memset(strs, 'a', strlen_);
    strs[0] = '\0';
    for (size_t i = 1; i < NSYM; i++)
        syms[i] = (Elf64_Sym){.st_name = (Elf64_Word)(1 + i % 64), .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE)};
    Sec sec[3 + NTAB] = {{{0}, NULL, 0}};
    sec[1] = (Sec){{.sh_type = SHT_STRTAB}, strs, strlen_};
    sec[2] = (Sec){{.sh_type = SHT_SYMTAB, .sh_link = 1, .sh_entsize = sizeof(Elf64_Sym)}, syms,
                   NSYM * sizeof *syms};
    /* one long name that 50,000 symbols point into */
    Img im = lay_out(sec, 3, 1);
    double t0 = now();
    expect_error("50,000 names in one 1 MiB string", probe(&im), "names overlap");
    CHECK(now() - t0 < 10, "refused in %.1f s", now() - t0);
    free(im.buf);

    /* 200 symbol tables over the same 1.2 MB (of empty names) */
    for (size_t i = 0; i < NSYM; i++)
        syms[i].st_name = 0;
    im = lay_out(sec, 3, 1);
    Elf64_Shdr tab = get_sh(&im, 2);
    free(im.buf);
    for (unsigned i = 3; i < 3 + NTAB; i++)
        sec[i] = (Sec){{.sh_type = SHT_SYMTAB, .sh_link = 1, .sh_entsize = sizeof(Elf64_Sym)}, NULL, 0};
    im = lay_out(sec, 3 + NTAB, 1);
    for (unsigned i = 3; i < 3 + NTAB; i++) {
        Elf64_Shdr sh = get_sh(&im, i);
        sh.sh_offset = tab.sh_offset, sh.sh_size = tab.sh_size;
        set_sh(&im, i, sh);
    }
    t0 = now();
    expect_error("200 symbol tables over the same bytes", probe(&im), "bytes of them in a file of");
    CHECK(now() - t0 < 10, "refused in %.1f s", now() - t0);
    free(im.buf);
    free(syms);
    free(strs);

    /* 200,000 distinct imports */
    enum { NIMP = 200000 };
    syms = xcalloc(NIMP + 1, sizeof *syms);
    StrBuf names = STRBUF_INIT;
    sb_addn(&names, "", 1);
    for (size_t i = 1; i <= NIMP; i++) {
        syms[i] = (Elf64_Sym){.st_name = (Elf64_Word)names.len, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE)};
        sb_addf(&names, "f%zu", i);
        sb_addn(&names, "", 1);
    }
    Sec many[3] = {{{0}, NULL, 0},
                   {{.sh_type = SHT_STRTAB}, names.buf, names.len},
                   {{.sh_type = SHT_SYMTAB, .sh_link = 1, .sh_entsize = sizeof(Elf64_Sym)}, syms,
                    (NIMP + 1) * sizeof *syms}};
    im = lay_out(many, 3, 1);
    remove(tmp_path);
    CHECK(write_file(tmp_path, im.buf, im.len), "cannot write %s", tmp_path);
    t0 = now();
    char *err = NULL;
    ElfImage *e = elf_open(tmp_path, &err);
    CHECK(e, "200,000 imports: %s", str(err));
    StrVec imp = STRVEC_INIT;
    strvec_push(&imp, "f7"); /* already there: not added again */
    elf_imports(e, &imp);
    elf_imports(e, &imp); /* twice: nothing new */
    CHECK(imp.n == NIMP, "200,000 imports, each once: %zu", imp.n);
    CHECK(imp.n == NIMP && !strcmp(imp.v[0], "f7") && !strcmp(imp.v[1], "f1") && !strcmp(imp.v[NIMP - 1], "f200000"),
          "in the order they come");
    CHECK(now() - t0 < 10, "read in %.1f s", now() - t0);
    strvec_clear(&imp);
    elf_close(e);
    free(err);
    free(im.buf);
    free(syms);
    sb_free(&names);
}

/* Random damage to the good image (a fixed seed): whatever it does, no
 * crash and no read out of bounds; ASan is the judge. */
static void test_random_damage(void)
{
    Img im = good();
    uint64_t x = 0x9e3779b97f4a7c15u;
    char *copy = xmalloc(im.len);
    int accepted = 0;
    for (int round = 0; round < 3000; round++) {
        memcpy(copy, im.buf, im.len);
        int flips = 1 + round % 8;
        for (int k = 0; k < flips; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* mostly in the headers, where the offsets are */
            size_t at = (x >> 8) % 4 ? (x >> 16) % sizeof(Elf64_Ehdr) + (round % 2 ? im.shoff : 0)
                                     : (x >> 16) % im.len;
            if (at >= im.len)
                at %= im.len;
            copy[at] = (char)(x >> 40);
        }
        Probe p = probe_bytes(copy, im.len);
        accepted += p.has_ok;
        probe_free(&p);
    }
    CHECK(accepted > 0 && accepted < 3000, "some damage refused, some read: %d of 3000 read", accepted);
    free(copy);
    free(im.buf);
}

/* This program's own executable, as the linker wrote it. */
static void test_self(void)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    CHECK(n > 0, "readlink /proc/self/exe");
    if (n <= 0)
        return;
    self[n] = '\0';
    Probe p = probe_path(self, "main");
    CHECK(p.has_ok && p.found, "main in %s: %s", self, str(p.has_err));
    CHECK(strstr(p.imports, "malloc"), "it imports malloc: %s", p.imports);
    CHECK(strstr(p.sections, ".text") && strstr(p.sections, ".symtab"), "its sections: %s", p.sections);
    probe_free(&p);
}

int main(void)
{
    alarm(120); /* a hang fails the test */
    tmp_path = xasprintf("%s/racelab-elf-units-%d", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    test_good();
    test_truncated();
    test_header();
    test_not_ours();
    test_symbol_tables();
    test_amplification();
    test_random_damage();
    test_self();
    remove(tmp_path);
    free(tmp_path);
    return test_summary();
}
