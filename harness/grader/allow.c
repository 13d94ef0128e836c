#include "allow.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "elf_symbols.h"
#include "text.h"
#include "tu.h"

/* What every case allows: the threading API, atomics, and the C library
 * a fix of a concurrency bug may reasonably use. Reading files, the
 * environment, time or /proc, starting processes and looking symbols up
 * are not here: a case that needs one says so in its allow: line. C11's
 * <threads.h> (thrd_, mtx_, cnd_, call_once) is not either: the tools
 * cannot check it here (TSan 14 stops with "nested bug in the same
 * thread" at thrd_create, DRD dies of SIGSEGV there, and glibc's mtx_lock
 * and call_once are not seen as synchronisation), so a fix written with
 * it would be graded on what the tools get wrong. */
static const char *const base_prefixes[] = {"pthread_", "sem_", "__atomic_"};
static const char *const base_names[] = {
    "sched_yield", "nanosleep", "usleep", "sleep",
    /* memory */
    "malloc", "calloc", "realloc", "reallocarray", "free", "aligned_alloc", "posix_memalign",
    /* strings */
    "memcpy", "memmove", "memset", "memcmp", "strlen", "strnlen", "strcmp", "strncmp", "strcpy", "strncpy",
    "strcat", "strncat", "strchr", "strrchr", "strstr", "strdup", "strndup", "strtok_r", "strerror",
    /* conversions */
    "atoi", "atol", "atoll", "strtol", "strtoll", "strtoul", "strtoull", "strtod", "strtof", "abs", "labs",
    /* printing */
    "printf", "fprintf", "sprintf", "snprintf", "vprintf", "vfprintf", "vsnprintf", "puts", "fputs", "putchar",
    "fputc", "putc", "fwrite", "fflush", "perror", "setvbuf", "setbuf", "stdout", "stderr",
    /* errors, ends, assertions */
    "__errno_location", "__assert_fail", "abort", "exit", "atexit", "__stack_chk_fail",
    /* ctype, sorting, arithmetic */
    "__ctype_b_loc", "__ctype_tolower_loc", "__ctype_toupper_loc", "qsort", "bsearch", "sqrt", "pow", "fabs",
    "floor", "ceil", "exp", "log", "rand", "srand", "rand_r", "__tls_get_addr",
};
/* Builtins that glibc's headers expand to, or that only compute. */
static const char *const base_builtins[] = {
    "__builtin_expect", "__builtin_unreachable", "__builtin_offsetof", "__builtin_va_start", "__builtin_va_end",
    "__builtin_va_arg", "__builtin_va_copy", "__builtin_va_list", "__builtin_types_compatible_p",
    "__builtin_constant_p", "__builtin_choose_expr", "__builtin_memcpy", "__builtin_memset", "__builtin_strlen",
    "__builtin_huge_val", "__builtin_huge_valf", "__builtin_inff", "__builtin_inf", "__builtin_nanf",
    "__builtin_nan", "__builtin_bswap16", "__builtin_bswap32", "__builtin_bswap64", "__builtin_add_overflow",
    "__builtin_sub_overflow", "__builtin_mul_overflow", "__builtin_popcount", "__builtin_clz", "__builtin_ctz",
};
/* Attributes that only describe: nothing runs, moves or hides. */
static const char *const base_attributes[] = {
    "unused", "maybe_unused", "noreturn", "format", "aligned", "packed", "const", "pure", "always_inline",
    "noinline", "cold", "hot", "nonnull", "returns_nonnull", "warn_unused_result", "nodiscard", "fallthrough",
    "deprecated", "malloc", "leaf", "nothrow", "access", "may_alias", "transparent_union", "mode", "sentinel",
    "alloc_size", "cleanup", "designated_init",
};

static void add_unique(StrVec *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->v[i], s))
            return;
    strvec_push(v, s);
}

/* "__unused__" and "unused" are one attribute. */
static char *attribute_name(const char *name)
{
    size_t n = strlen(name);
    if (n > 4 && starts_with(name, "__") && ends_with(name, "__"))
        return xstrndup(name + 2, n - 4);
    return xstrdup(name);
}

void allow_init(AllowList *a)
{
    memset(a, 0, sizeof *a);
    strvec_init(&a->names), strvec_init(&a->prefixes), strvec_init(&a->builtins), strvec_init(&a->attributes);
    for (size_t i = 0; i < ARRAY_LEN(base_prefixes); i++)
        strvec_push(&a->prefixes, base_prefixes[i]);
    for (size_t i = 0; i < ARRAY_LEN(base_names); i++)
        strvec_push(&a->names, base_names[i]);
    for (size_t i = 0; i < ARRAY_LEN(base_builtins); i++)
        strvec_push(&a->builtins, base_builtins[i]);
    for (size_t i = 0; i < ARRAY_LEN(base_attributes); i++)
        strvec_push(&a->attributes, base_attributes[i]);
    a->main_params = 2;
}

void allow_object(AllowList *a, const char *object)
{
    char *err = NULL;
    ElfImage *e = elf_open(object, &err);
    free(err);
    StrVec imports = STRVEC_INIT;
    elf_imports(e, &imports);
    for (size_t i = 0; i < imports.n; i++)
        add_unique(&a->names, imports.v[i]);
    strvec_clear(&imports);
    elf_close(e);
}

static void note_ident(void *ctx, const char *name, int line, bool call)
{
    (void)line, (void)call;
    AllowList *a = ctx;
    if (starts_with(name, "__builtin_"))
        add_unique(&a->builtins, name);
}

static void note_attribute(void *ctx, const char *name, int line)
{
    (void)line;
    AllowList *a = ctx;
    char *n = attribute_name(name);
    add_unique(&a->attributes, n);
    free(n);
}

static void note_definition(void *ctx, const char *name, int line, int nparams)
{
    (void)line;
    AllowList *a = ctx;
    if (!strcmp(name, "main") && nparams > a->main_params)
        a->main_params = nparams;
}

void allow_tu(AllowList *a, const char *tu, size_t len, const char *file)
{
    TuVisitor v = {.ctx = a, .ident = note_ident, .attribute = note_attribute, .definition = note_definition};
    tu_walk(tu, len, file, &v);
}

void allow_words(AllowList *a, const char *words)
{
    StrVec w = STRVEC_INIT;
    strvec_push_words(&w, words);
    for (size_t i = 0; i < w.n; i++) {
        size_t n = strlen(w.v[i]);
        if (n > 1 && w.v[i][n - 1] == '*') {
            w.v[i][n - 1] = '\0';
            add_unique(&a->prefixes, w.v[i]);
        } else if (starts_with(w.v[i], "__builtin_")) {
            add_unique(&a->builtins, w.v[i]);
        } else {
            add_unique(&a->names, w.v[i]);
        }
    }
    strvec_clear(&w);
}

bool allow_import(const AllowList *a, const char *name)
{
    for (size_t i = 0; i < a->names.n; i++)
        if (!strcmp(a->names.v[i], name))
            return true;
    for (size_t i = 0; i < a->prefixes.n; i++)
        if (starts_with(name, a->prefixes.v[i]))
            return true;
    return false;
}

bool allow_builtin(const AllowList *a, const char *name)
{
    if (starts_with(name, "__builtin_") && (starts_with(name, "__builtin___") || strstr(name, "_chk")))
        return true; /* glibc's fortified string functions */
    for (size_t i = 0; i < a->builtins.n; i++)
        if (!strcmp(a->builtins.v[i], name))
            return true;
    return false;
}

bool allow_attribute(const AllowList *a, const char *name)
{
    char *n = attribute_name(name);
    bool ok = false;
    for (size_t i = 0; i < a->attributes.n && !ok; i++)
        ok = !strcmp(a->attributes.v[i], n);
    free(n);
    return ok;
}

void allow_free(AllowList *a)
{
    strvec_clear(&a->names), strvec_clear(&a->prefixes), strvec_clear(&a->builtins), strvec_clear(&a->attributes);
}
