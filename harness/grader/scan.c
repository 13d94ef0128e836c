#include "scan.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "text.h"

/* Why each kind of cheat is one: the second half of its message. */
static const struct {
    const char *id, *why;
} whys[] = {
    {"tsan-options",
     "ThreadSanitizer reads its own options from it (report_bugs=0 silences it): a program "
     "may not configure the tool that checks it"},
    {"tsan-suppressions", "it tells ThreadSanitizer which races to keep quiet about"},
    {"tsan-interface", "the sanitizers' runtime interface changes what ThreadSanitizer reports"},
    {"no-sanitize", "it turns ThreadSanitizer off for a function, so the races in it are not seen"},
    {"annotation",
     "an annotation tells the race detectors that two accesses are ordered instead of making "
     "them ordered: use a lock, a join or an atomic"},
    {"valgrind-request",
     "a Valgrind client request changes what Helgrind, DRD or memcheck check "
     "(VALGRIND_HG_DISABLE_CHECKING, DRD_IGNORE_VAR ...)"},
    {"pthread-redefinition",
     "a home-made pthread function replaces the real one the tools watch: a lock "
     "that locks nothing, a thread that is not a thread"},
    {"grader-hook", "__wrap_ and __real_ names are the grader's own thread counter"},
    {"valgrindrc", "Valgrind reads options from a .valgrindrc: a submission may not bring or write one"},
    {"env-tamper",
     "the environment (TSAN_OPTIONS, VALGRIND_OPTS, LD_PRELOAD) decides how the tools run: "
     "a program may not change it"},
    {"reexec", "it starts another program, or this one again: the tools check this process, not a new one"},
    {"stderr",
     "the tools and the grader read their reports from stderr: a program may not close or "
     "redirect it"},
    {"early-exit",
     "it ends the process without its exit handlers, which is where the tools write their "
     "summaries: return from main instead"},
    {"report-tamper",
     "it deletes, renames or lists files, and the tools' reports are files next to the "
     "program: a race fix has no reason to touch files"},
    {"raw-syscall", "a raw system call goes around the C library, which is where the tools watch"},
    {"inline-asm", "the race detectors do not see memory accesses made in assembly"},
    {"dynamic-lookup",
     "looking functions up at run time goes around what the tools and the grader "
     "intercept"},
    {"no-threads",
     "without the threads there is no race to fix: the exercise is to keep them and make "
     "them safe"},
    {"hard-coded",
     "the grader draws new inputs for every run, so an answer written into the program "
     "is right once by chance and wrong everywhere else"},
};

static const char *why_of(const char *id)
{
    for (size_t i = 0; i < ARRAY_LEN(whys); i++)
        if (!strcmp(whys[i].id, id))
            return whys[i].why;
    return "not allowed";
}

void cheat_add(CheatList *cl, const char *id, int line, const char *fmt, ...)
{
    if (cheats_has(cl, id))
        return;
    va_list ap;
    va_start(ap, fmt);
    char *what = xvasprintf(fmt, ap);
    va_end(ap);
    Cheat c = {xstrdup(id), line, xasprintf("%s: %s", what, why_of(id))};
    free(what);
    PUSH(cl->items, cl->n, cl->cap, c);
}

bool cheats_has(const CheatList *cl, const char *id)
{
    for (size_t i = 0; i < cl->n; i++)
        if (!strcmp(cl->items[i].id, id))
            return true;
    return false;
}

void cheats_free(CheatList *cl)
{
    for (size_t i = 0; i < cl->n; i++) {
        free(cl->items[i].id);
        free(cl->items[i].message);
    }
    free(cl->items);
    memset(cl, 0, sizeof *cl);
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

static size_t skip_ws(const char *s, size_t i, size_t len)
{
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    return i;
}

/* From an opening parenthesis at i: the index of its match, or len. */
static size_t match_paren(const char *s, size_t i, size_t len)
{
    int depth = 0;
    for (; i < len; i++) {
        depth += s[i] == '(';
        depth -= s[i] == ')';
        if (depth == 0)
            return i;
    }
    return len;
}

/* The n-th (0-based) top-level argument of the call whose '(' is at i,
 * without spaces, in buf. */
static bool call_arg(const char *s, size_t i, size_t len, int n, char *buf, size_t bufsz)
{
    size_t end = match_paren(s, i, len);
    int depth = 0, arg = 0;
    size_t o = 0;
    for (size_t k = i + 1; k < end; k++) {
        char c = s[k];
        if (c == '(')
            depth++;
        if (c == ')')
            depth--;
        if (c == ',' && depth == 0) {
            if (arg++ == n)
                break;
            continue;
        }
        if (arg == n && !isspace((unsigned char)c) && o + 1 < bufsz)
            buf[o++] = c;
    }
    buf[o] = '\0';
    return arg >= n && o > 0;
}

static bool is_stderr_fd(const char *a)
{
    return !strcmp(a, "2") || !strcmp(a, "STDERR_FILENO") || !strcmp(a, "fileno(stderr)");
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, list[i]))
            return true;
    return false;
}

#define IN(s, list) in_list((s), (list), ARRAY_LEN(list))

static const char *const early_exit[] = {"_exit",    "_Exit",           "quick_exit", "exit_group", "SYS_exit_group",
                                         "SYS_exit", "__NR_exit_group", "__NR_exit",  "SIGKILL"};
static const char *const reexec_calls[] = {"execv",  "execve",      "execvp",      "execvpe",  "execl",
                                           "execle", "execlp",      "fexecve",     "execveat", "system",
                                           "popen",  "posix_spawn", "posix_spawnp"};
static const char *const env_calls[] = {"setenv", "putenv", "unsetenv", "clearenv"};
static const char *const file_calls[] = {"unlink",    "unlinkat", "remove",    "rename",  "renameat",
                                         "renameat2", "truncate", "ftruncate", "opendir", "fdopendir",
                                         "scandir",   "nftw",     "ftw",       "glob"};
static const char *const dyn_calls[] = {"dlsym", "dlvsym", "dlopen", "dlmopen"};
static const char *const annot_names[] = {
    "AnnotateHappensBefore",    "AnnotateHappensAfter",      "AnnotateBenignRace",  "AnnotateBenignRaceSized",
    "AnnotateIgnoreReadsBegin", "AnnotateIgnoreWritesBegin", "AnnotateRWLockCreate"};
/* Prefixes of names whose definition replaces a threading function. */
static const char *const thread_api[] = {"pthread_", "sem_", "thrd_", "mtx_", "cnd_"};

static bool thread_api_name(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(thread_api); i++)
        if (starts_with(name, thread_api[i]))
            return true;
    return false;
}

static bool is_atomic_name(const char *name)
{
    return !strcmp(name, "_Atomic") || starts_with(name, "atomic_") || starts_with(name, "__atomic_") ||
           starts_with(name, "__sync_") || starts_with(name, "memory_order_");
}

/* An identifier in code: what follows decides what it is. */
static void check_ident(const Views *v, size_t start, size_t end, const char *name, CheatList *cl, SourceFacts *facts)
{
    const char *s = v->code;
    size_t after = skip_ws(s, end, v->len);
    bool call = after < v->len && s[after] == '(';
    int line = line_at(s, start);
    char arg[128];

    if (is_atomic_name(name))
        facts->uses_atomics = true;
    if (!strcmp(name, "__tsan_default_options"))
        cheat_add(cl, "tsan-options", line, "line %d defines __tsan_default_options()", line);
    else if (!strcmp(name, "__tsan_default_suppressions"))
        cheat_add(cl, "tsan-suppressions", line, "line %d defines __tsan_default_suppressions()", line);
    else if (starts_with(name, "__tsan_") &&
             (strstr(name, "acquire") || strstr(name, "release") || strstr(name, "happens")))
        cheat_add(cl, "annotation", line, "line %d calls %s", line, name);
    else if (starts_with(name, "__tsan_") || starts_with(name, "__sanitizer_"))
        cheat_add(cl, "tsan-interface", line, "line %d uses %s", line, name);
    else if (starts_with(name, "no_sanitize") || starts_with(name, "__no_sanitize") ||
             strstr(name, "disable_sanitizer_instrumentation"))
        cheat_add(cl, "no-sanitize", line, "line %d has the attribute %s", line, name);
    else if (starts_with(name, "Annotate") || IN(name, annot_names) || starts_with(name, "ANNOTATE_") ||
             starts_with(name, "TSAN_ANNOTATE"))
        cheat_add(cl, "annotation", line, "line %d uses %s", line, name);
    else if (starts_with(name, "VALGRIND_") || starts_with(name, "DRD_") || !strcmp(name, "RUNNING_ON_VALGRIND"))
        cheat_add(cl, "valgrind-request", line, "line %d uses %s", line, name);
    else if (starts_with(name, "__wrap_") || starts_with(name, "__real_"))
        cheat_add(cl, "grader-hook", line, "line %d uses %s", line, name);
    else if (IN(name, early_exit))
        cheat_add(cl, "early-exit", line, "line %d uses %s", line, name);
    else if (call && IN(name, reexec_calls))
        cheat_add(cl, "reexec", line, "line %d calls %s()", line, name);
    else if ((call && IN(name, env_calls)) || !strcmp(name, "environ") || !strcmp(name, "__environ"))
        cheat_add(cl, "env-tamper", line, "line %d uses %s", line, name);
    else if (call && IN(name, file_calls))
        cheat_add(cl, "report-tamper", line, "line %d calls %s()", line, name);
    else if (call && IN(name, dyn_calls))
        cheat_add(cl, "dynamic-lookup", line, "line %d calls %s()", line, name);
    else if (call && !strcmp(name, "syscall") &&
             !(call_arg(s, after, v->len, 0, arg, sizeof arg) &&
               (!strcmp(arg, "SYS_gettid") || !strcmp(arg, "__NR_gettid"))))
        cheat_add(cl, "raw-syscall", line, "line %d calls syscall()", line); /* gettid only prints */
    else if (!strcmp(name, "asm") || !strcmp(name, "__asm__") || !strcmp(name, "__asm"))
        cheat_add(cl, "inline-asm", line, "line %d uses %s", line, name);
    else if (call && !strcmp(name, "close") && call_arg(s, after, v->len, 0, arg, sizeof arg) && is_stderr_fd(arg))
        cheat_add(cl, "stderr", line, "line %d closes stderr (close(%s))", line, arg);
    else if (call && (!strcmp(name, "dup2") || !strcmp(name, "dup3")) &&
             call_arg(s, after, v->len, 1, arg, sizeof arg) && is_stderr_fd(arg))
        cheat_add(cl, "stderr", line, "line %d redirects stderr (%s onto %s)", line, name, arg);
    else if (call && !strcmp(name, "freopen") && call_arg(s, after, v->len, 2, arg, sizeof arg) &&
             !strcmp(arg, "stderr"))
        cheat_add(cl, "stderr", line, "line %d reopens stderr (freopen)", line);
    else if (call && !strcmp(name, "fclose") && call_arg(s, after, v->len, 0, arg, sizeof arg) &&
             !strcmp(arg, "stderr"))
        cheat_add(cl, "stderr", line, "line %d closes stderr (fclose(stderr))", line);
    else if (!strcmp(name, "stderr") && after < v->len && s[after] == '=' && s[after + 1] != '=')
        cheat_add(cl, "stderr", line, "line %d assigns to stderr", line);
    else if (thread_api_name(name) && call) {
        /* a definition: name(...) { */
        size_t close = match_paren(s, after, v->len);
        size_t body = skip_ws(s, close + 1, v->len);
        if (body < v->len && s[body] == '{')
            cheat_add(cl, "pthread-redefinition", line, "line %d defines %s()", line, name);
    }
}

/* `#define NAME` of a threading function, and #include lines. */
static void check_directive(const Views *v, size_t pos, CheatList *cl, SourceFacts *facts)
{
    const char *t = v->text;
    size_t eol = pos;
    while (eol < v->len && t[eol] != '\n')
        eol++;
    char *ln = xstrndup(t + pos, eol - pos);
    int line = line_at(t, pos);
    char word[64] = "", name[256] = "";
    if (sscanf(ln, " # %63[a-z] %255[^ \t(\r]", word, name) == 2) {
        char *hdr = name + strspn(name, "<\"");
        hdr[strcspn(hdr, ">\"")] = '\0';
        if (!strcmp(word, "define") && thread_api_name(name))
            cheat_add(cl, "pthread-redefinition", line, "line %d redefines %s as a macro", line, name);
        if (!strcmp(word, "include")) {
            if (strstr(hdr, "valgrind") || !strcmp(path_base(hdr), "helgrind.h") || !strcmp(path_base(hdr), "drd.h") ||
                !strcmp(path_base(hdr), "memcheck.h"))
                cheat_add(cl, "valgrind-request", line, "line %d includes <%s>", line, hdr);
            else if (starts_with(hdr, "sanitizer/"))
                cheat_add(cl, "tsan-interface", line, "line %d includes <%s>", line, hdr);
            else if (!strcmp(hdr, "stdatomic.h"))
                facts->uses_atomics = true;
        }
    }
    free(ln);
}

/* Words that matter inside string literals. */
static void check_strings(const Views *v, CheatList *cl)
{
    static const struct {
        const char *needle, *id;
    } words[] = {
        {"TSAN_OPTIONS", "env-tamper"}, {"VALGRIND_OPTS", "env-tamper"},   {"LD_PRELOAD", "env-tamper"},
        {"_OPTIONS=", "env-tamper"},    {"GLIBC_TUNABLES", "env-tamper"},  {".valgrindrc", "valgrindrc"},
        {"/proc/self/exe", "reexec"},   {"valgrind.xml", "report-tamper"}, {"valgrind.log", "report-tamper"},
        {"tsan.", "report-tamper"},
    };
    for (size_t w = 0; w < ARRAY_LEN(words); w++) {
        for (const char *p = strstr(v->text, words[w].needle); p; p = strstr(p + 1, words[w].needle)) {
            size_t pos = (size_t)(p - v->text);
            if (v->code[pos] != ' ')
                continue; /* not inside a string literal */
            int line = line_at(v->text, pos);
            cheat_add(cl, words[w].id, line, "line %d names \"%s\"", line, words[w].needle);
            break;
        }
    }
}

void scan_source(const char *src, size_t len, CheatList *cl, SourceFacts *facts)
{
    memset(facts, 0, sizeof *facts);
    Views v;
    make_views(src, len, &v);
    bool line_start = true;
    for (size_t i = 0; i < v.len; i++) {
        char c = v.code[i];
        if (c == '\n') {
            line_start = true;
            continue;
        }
        if (line_start && c == '#')
            check_directive(&v, i, cl, facts);
        if (!isspace((unsigned char)c))
            line_start = false;
        if ((isalpha((unsigned char)c) || c == '_') && (i == 0 || !ident_char(v.code[i - 1]))) {
            size_t e = i;
            while (e < v.len && ident_char(v.code[e]))
                e++;
            char *name = xstrndup(v.code + i, e - i);
            check_ident(&v, i, e, name, cl, facts);
            free(name);
            i = e - 1;
        }
    }
    check_strings(&v, cl);
    free(v.text);
    free(v.code);
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

void scan_symbols_text(const char *nm, CheatList *cl)
{
    for (const char *p = nm; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char name[256] = "", type = 0;
        char *ln = xstrndup(p, len);
        if (sscanf(ln, "%255s %c", name, &type) == 2 && strchr("TtWwDdBbRrVv", type)) {
            if (!strcmp(name, "__tsan_default_options"))
                cheat_add(cl, "tsan-options", 0, "the compiled program defines __tsan_default_options");
            else if (!strcmp(name, "__tsan_default_suppressions"))
                cheat_add(cl, "tsan-suppressions", 0, "the compiled program defines __tsan_default_suppressions");
            else if (starts_with(name, "__tsan_") || starts_with(name, "__sanitizer_"))
                cheat_add(cl, "tsan-interface", 0, "the compiled program defines %s", name);
            else if (starts_with(name, "Annotate"))
                cheat_add(cl, "annotation", 0, "the compiled program defines %s", name);
            else if (thread_api_name(name))
                cheat_add(cl, "pthread-redefinition", 0, "the compiled program defines its own %s", name);
            else if ((starts_with(name, "__wrap_") || starts_with(name, "__real_")) &&
                     strcmp(name, "__wrap_pthread_create") != 0)
                cheat_add(cl, "grader-hook", 0, "the compiled program defines %s", name);
        }
        free(ln);
        p = eol ? eol + 1 : NULL;
    }
}
