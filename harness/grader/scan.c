/* The scan for cheats in what a student hands in, against the case's
 * allow-list (allow.h): the preprocessed translation unit (the student's
 * own lines, after macros and token pasting), and the object the
 * compiler made of it (what it imports, its sections), which no spelling
 * of the source can hide. And, in the raw text, where a number is
 * written (the hard-coded answer). */
#include "scan.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "elf_symbols.h"
#include "strbuf.h"
#include "text.h"
#include "tu.h"

/* Names a submission must not define: the threading API the tools and
 * the scheduler watch, and the tools' own hooks. */
static const char *const reserved_prefixes[] = {"pthread_", "sem_", "thrd_", "mtx_", "cnd_", "__wrap_", "__real_",
                                                "__tsan_", "__sanitizer_", "__asan_", "__ubsan_", "__lsan_",
                                                "Annotate", "__interceptor_", "racelab"};
/* Words in a string that name the tools, their options or reports. */
static const char *const tool_words[] = {"/proc", "TSAN_", "tsan.", "VALGRIND", "valgrind", "LD_PRELOAD",
                                         ".valgrindrc", "RACELAB", "racelab", "explore.log", "GLIBC_TUNABLES"};
/* Sections a C fix may have in its object. */
static const char *const section_prefixes[] = {".text", ".data", ".bss", ".rodata", ".comment", ".note", ".eh_frame",
                                               ".debug", ".rela", ".group", ".symtab", ".strtab", ".shstrtab",
                                               ".tbss", ".tdata", ".gnu.build.attributes"};

typedef struct {
    const AllowList *a;
    CheatList *cl;
    const char *file; /* the submission's path: assert() and __FILE__ write it in strings */
} Scan;

static bool reserved(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(reserved_prefixes); i++)
        if (starts_with(name, reserved_prefixes[i]))
            return true;
    return false;
}

static void on_ident(void *ctx, const char *name, int line, bool call)
{
    (void)call;
    Scan *s = ctx;
    if (!strcmp(name, "asm") || !strcmp(name, "__asm__") || !strcmp(name, "__asm"))
        cheat_add(s->cl, "inline-asm", line, "line %d has inline assembly (%s)", line, name);
    else if (starts_with(name, "__builtin_") && !allow_builtin(s->a, name))
        cheat_add(s->cl, "builtin", line, "line %d uses %s", line, name);
}

static void on_attribute(void *ctx, const char *name, int line)
{
    Scan *s = ctx;
    if (!allow_attribute(s->a, name))
        cheat_add(s->cl, "attribute", line, "line %d has the attribute %s", line, name);
}

static void on_definition(void *ctx, const char *name, int line, int nparams)
{
    Scan *s = ctx;
    if (reserved(name) || allow_import(s->a, name))
        cheat_add(s->cl, "redefinition", line, "line %d defines %s()", line, name);
    if (!strcmp(name, "main") && nparams > s->a->main_params)
        cheat_add(s->cl, "main-envp", line, "line %d: main takes %d parameters, the handout's %d", line, nparams,
                  s->a->main_params);
}

static void on_string(void *ctx, const char *text, size_t len, int line)
{
    Scan *s = ctx;
    char *t = xstrndup(text, len);
    size_t fl = strlen(s->file);
    for (char *hit = fl ? strstr(t, s->file) : NULL; hit; hit = strstr(hit + fl, s->file))
        memset(hit, ' ', fl); /* the grader's own scratch path is not the student's word */
    for (size_t i = 0; i < ARRAY_LEN(tool_words); i++) {
        if (strstr(t, tool_words[i])) {
            cheat_add(s->cl, "tool-word", line, "line %d names \"%s\"", line, tool_words[i]);
            break;
        }
    }
    free(t);
}

static void on_pragma(void *ctx, const char *text, int line)
{
    Scan *s = ctx;
    char *t = xstrndup(text, strcspn(text, "\n"));
    cheat_add(s->cl, "pragma", line, "line %d: %.60s", line, t);
    free(t);
}

void scan_tu(const char *tu, size_t len, const char *file, const AllowList *a, CheatList *cl)
{
    Scan s = {a, cl, file};
    TuVisitor v = {.ctx = &s,
                   .ident = on_ident,
                   .attribute = on_attribute,
                   .definition = on_definition,
                   .string = on_string,
                   .pragma = on_pragma};
    tu_walk(tu, len, file, &v);
}

static bool c11_threads(const char *name)
{
    return starts_with(name, "thrd_") || starts_with(name, "mtx_") || starts_with(name, "cnd_") ||
           starts_with(name, "tss_") || !strcmp(name, "call_once");
}

void scan_object(const char *object, const AllowList *a, CheatList *cl, char **unsupported)
{
    char *err = NULL;
    ElfImage *e = elf_open(object, &err);
    if (!e) {
        cheat_add(cl, "section", 0, "the object cannot be read (%s)", err);
        free(err);
        return;
    }
    StrVec imports = STRVEC_INIT, sections = STRVEC_INIT;
    elf_imports(e, &imports);
    elf_sections(e, &sections);
    StrBuf bad = STRBUF_INIT, c11 = STRBUF_INIT;
    for (size_t i = 0; i < imports.n; i++) {
        if (allow_import(a, imports.v[i]))
            continue;
        if (c11_threads(imports.v[i]))
            sb_addf(&c11, "%s%s", c11.len ? ", " : "", imports.v[i]);
        else
            sb_addf(&bad, "%s%s", bad.len ? ", " : "", imports.v[i]);
    }
    if (c11.len && unsupported)
        *unsupported = xasprintf("it uses C11 <threads.h> (%s), which the tools here cannot check (TSan stops at "
                                 "thrd_create, DRD crashes there, and mtx_lock and call_once are not seen as "
                                 "synchronisation): write the fix with pthreads",
                                 c11.buf);
    sb_free(&c11);
    if (bad.len)
        cheat_add(cl, "import", 0, "the program uses %s", bad.buf);
    sb_reset(&bad);
    for (size_t i = 0; i < sections.n; i++) {
        bool ok = !*sections.v[i];
        for (size_t k = 0; k < ARRAY_LEN(section_prefixes) && !ok; k++)
            ok = starts_with(sections.v[i], section_prefixes[k]);
        if (!ok)
            sb_addf(&bad, "%s%s", bad.len ? ", " : "", sections.v[i]);
    }
    if (bad.len)
        cheat_add(cl, "section", 0, "the object has the section%s %s", strchr(bad.buf, ',') ? "s" : "", bad.buf);
    sb_free(&bad);
    strvec_clear(&imports);
    strvec_clear(&sections);
    elf_close(e);
}

bool object_uses_atomics(const char *object)
{
    char *err = NULL;
    ElfImage *e = elf_open(object, &err);
    free(err);
    StrVec imports = STRVEC_INIT;
    elf_imports(e, &imports);
    bool yes = false;
    for (size_t i = 0; i < imports.n && !yes; i++)
        yes = starts_with(imports.v[i], "__tsan_atomic");
    strvec_clear(&imports);
    elf_close(e);
    return yes;
}

/* ---- views of the source ---- */

/* Two copies of the text, the same length, with newlines where they were:
 * `text` without comments, and `code` without comments and without the
 * insides of string and character literals. Other bytes (NUL, binary
 * garbage) become spaces. */
typedef struct {
    char *text, *code;
    size_t len;
} Views;

static void make_views(const char *src, size_t len, Views *v)
{
    v->len = len;
    v->text = xmalloc(len + 1);
    v->code = xmalloc(len + 1);
    enum { CODE, LINE_COMMENT, BLOCK_COMMENT, STRING, CHAR } st = CODE;
    for (size_t i = 0; i < len; i++) {
        char c = src[i] ? src[i] : ' ';
        char next = i + 1 < len ? src[i + 1] : '\0';
        char t = c, k = c;
        switch (st) {
        case CODE:
            if (c == '/' && next == '/')
                st = LINE_COMMENT, t = k = ' ';
            else if (c == '/' && next == '*') {
                st = BLOCK_COMMENT;
                t = k = v->text[i + 1] = v->code[i + 1] = ' ';
                v->text[i] = v->code[i] = ' ';
                i++;
                continue;
            } else if (c == '"')
                st = STRING;
            else if (c == '\'')
                st = CHAR;
            break;
        case LINE_COMMENT:
            if (c == '\n')
                st = CODE;
            else
                t = k = ' ';
            break;
        case BLOCK_COMMENT:
            if (c == '*' && next == '/') {
                v->text[i] = v->code[i] = v->text[i + 1] = v->code[i + 1] = ' ';
                i++;
                st = CODE;
                continue;
            }
            if (c != '\n')
                t = k = ' ';
            break;
        case STRING:
        case CHAR:
            if (c == '\\' && next) {
                v->text[i] = c;
                v->text[i + 1] = next == '\n' ? '\n' : next;
                v->code[i] = ' ';
                v->code[i + 1] = next == '\n' ? '\n' : ' ';
                i++;
                continue;
            }
            if ((st == STRING && c == '"') || (st == CHAR && c == '\'') || c == '\n')
                st = CODE; /* a newline ends an unterminated literal */
            else
                k = ' ';
            break;
        }
        v->text[i] = t;
        v->code[i] = k;
    }
    v->text[len] = v->code[len] = '\0';
}

static int line_at(const char *s, size_t pos)
{
    int line = 1;
    for (size_t i = 0; i < pos; i++)
        line += s[i] == '\n';
    return line;
}

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Skips blanks and backslash-newlines (a directive can be spliced). */
static size_t skip_blanks(const char *c, size_t i, size_t len)
{
    while (i < len && (c[i] == ' ' || c[i] == '\t' || (c[i] == '\\' && i + 1 < len && c[i + 1] == '\n')))
        i += c[i] == '\\' ? 2 : 1;
    return i;
}

int source_line_directive(const char *src, size_t len)
{
    Views v;
    make_views(src, len, &v);
    const char *c = v.code;
    int found = 0;
    bool line_start = true;
    for (size_t i = 0; i < v.len && !found; i++) {
        if (c[i] == '\n') {
            line_start = !(i > 0 && c[i - 1] == '\\');
            continue;
        }
        if (!line_start)
            continue;
        size_t k = skip_blanks(c, i, v.len);
        if (k < v.len && c[k] == '#') {
            size_t d = skip_blanks(c, k + 1, v.len);
            bool is_line = d + 4 <= v.len && !memcmp(c + d, "line", 4) && (d + 4 == v.len || !ident_char(c[d + 4]));
            if (is_line || (d < v.len && isdigit((unsigned char)c[d])))
                found = line_at(c, k);
        }
        line_start = false;
        i = k < v.len ? k : i;
    }
    free(v.text);
    free(v.code);
    return found;
}

int source_find_number(const char *src, size_t len, const char *digits)
{
    Views v;
    make_views(src, len, &v);
    size_t dl = strlen(digits);
    int found = 0;
    for (size_t i = 0; i + dl <= v.len && !found; i++) {
        if (memcmp(v.text + i, digits, dl) != 0)
            continue;
        bool before = i > 0 && ident_char(v.text[i - 1]);
        bool after = i + dl < v.len && ident_char(v.text[i + dl]);
        if (!before && !after)
            found = line_at(v.text, i);
    }
    free(v.text);
    free(v.code);
    return found;
}
