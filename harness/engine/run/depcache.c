#include "depcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "alloc.h"
#include "fs.h"
#include "strbuf.h"
#include "text.h"

/* 2: files by XXH3-128 (1 had FNV-1a 64: such a manifest is not read) */
#define MANIFEST_MAGIC "racelab-deps 2"
#define DEP_MAX (64u << 20)

static void push_unique(StrVec *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->v[i], s))
            return;
    strvec_push(v, s);
}

/* The directory part of a path, "" for none (path_dirname says "."). */
static char *dir_of(const char *path)
{
    char *d = path_dirname(path);
    if (!strchr(path, '/'))
        d[0] = '\0';
    return d;
}

/* A path's state as a directory a header could appear in. */
static void dir_state(const char *path, char *out, size_t n)
{
    struct stat st;
    if (stat(path, &st) != 0)
        snprintf(out, n, errno == ENOENT || errno == ENOTDIR ? "absent" : "unreadable");
    else if (!S_ISDIR(st.st_mode))
        snprintf(out, n, "file");
    else
        snprintf(out, n, "%lld.%09ld:%llu", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                 (unsigned long long)st.st_ino);
}

/* As the manifest writes a file's hash: 32 hex digits, high half first. */
static void hash_hex(XXH128_hash_t h, char out[33])
{
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
}

/* A file's XXH3-128, read in pieces (no copy of it in memory); false if it
 * cannot be read whole or is larger than DEP_MAX (what depcache_record
 * reads). */
static bool file_xxh128(const char *path, XXH128_hash_t *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    XXH3_state_t *st = XXH3_createState();
    bool ok = st && XXH3_128bits_reset(st) == XXH_OK;
    char chunk[1 << 16];
    size_t total = 0;
    for (ssize_t n; ok;) {
        n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        total += (size_t)n;
        ok = total <= DEP_MAX && XXH3_128bits_update(st, chunk, (size_t)n) == XXH_OK;
    }
    close(fd);
    if (ok)
        *out = XXH3_128bits_digest(st);
    XXH3_freeState(st);
    return ok;
}

bool depcache_file_hash(const char *path, uint64_t *h)
{
    XXH128_hash_t x;
    if (!file_xxh128(path, &x))
        return false;
    *h = x.low64;
    return true;
}

bool depcache_lookup(const char *manifest, uint64_t *unit_hash)
{
    size_t len = 0;
    char *text = read_file(manifest, 4u << 20, &len, NULL);
    if (!text)
        return false;
    bool ok = !strncmp(text, MANIFEST_MAGIC " ", strlen(MANIFEST_MAGIC) + 1);
    unsigned long long want = 0;
    char *line = text, *next;
    if (ok)
        ok = sscanf(text + strlen(MANIFEST_MAGIC) + 1, "%llx", &want) == 1;
    for (line = strchr(text, '\n'); ok && line && line[1]; line = next) {
        line++;
        next = strchr(line, '\n');
        if (!next)
            break;
        *next = '\0';
        char state[96];
        int at = 0;
        if (sscanf(line, "f %95s %n", state, &at) == 1 && at > 0) {
            XXH128_hash_t h;
            char now[33];
            ok = file_xxh128(line + at, &h);
            if (ok) {
                hash_hex(h, now);
                ok = !strcmp(now, state);
            }
        } else if (sscanf(line, "d %95s %n", state, &at) == 1 && at > 0) {
            char now[96];
            dir_state(line + at, now, sizeof now);
            ok = !strcmp(now, state);
        } else {
            ok = false;
        }
    }
    free(text);
    if (ok)
        *unit_hash = want;
    return ok;
}

/* The files a preprocessed unit came from: its line markers,
 * `# N "path" FLAGS`, with C escapes in the path. */
static void marker_files(StrVec *files, const char *text, size_t len)
{
    StrBuf path = STRBUF_INIT;
    for (size_t i = 0; i < len;) {
        const char *line = text + i, *eol = memchr(line, '\n', len - i);
        size_t n = eol ? (size_t)(eol - line) : len - i;
        i += n + 1;
        if (n < 5 || line[0] != '#' || line[1] != ' ' || line[2] < '0' || line[2] > '9')
            continue;
        const char *q = memchr(line, '"', n);
        if (!q)
            continue;
        sb_reset(&path);
        for (q++; q < line + n && *q != '"'; q++) {
            if (*q == '\\' && q + 1 < line + n)
                q++;
            sb_addn(&path, q, 1);
        }
        /* not files: <built-in>, <command line>, and gcc's working
         * directory with -g ("/dir//", in the manifest's name already) */
        bool dir = path.len >= 2 && path.buf[path.len - 1] == '/' && path.buf[path.len - 2] == '/';
        if (path.len && path.buf[0] != '<' && !dir)
            push_unique(files, path.buf);
    }
    sb_free(&path);
}

/* The text as the preprocessor reads its directives: comments become one
 * space and line continuations go; string and character literals stay. */
static char *code_of(const char *data)
{
    StrBuf sb = STRBUF_INIT;
    for (const char *p = data; *p;) {
        if (p[0] == '\\' && p[1] == '\n') {
            p += 2;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
            sb_addn(&sb, " ", 1);
        } else if (p[0] == '/' && p[1] == '/') {
            p += strcspn(p, "\n");
        } else if (*p == '"' || *p == '\'') {
            char quote = *p;
            const char *q = p + 1;
            while (*q && *q != quote && *q != '\n')
                q += q[0] == '\\' && q[1] ? 2 : 1;
            if (*q == quote)
                q++;
            sb_addn(&sb, p, (size_t)(q - p));
            p = q;
        } else {
            sb_addn(&sb, p++, 1);
        }
    }
    return sb_steal(&sb);
}

/* Whether the name at `at` is only tested for being defined: preceded by
 * `defined` (with or without a parenthesis) or by #ifdef / #ifndef. */
static bool asked_if_defined(const char *data, const char *at)
{
    const char *p = at;
    while (p > data && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '('))
        p--;
    static const char *const words[] = {"defined", "ifdef", "ifndef", "elifdef", "elifndef"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(p - data) >= n && !strncmp(p - n, words[i], n))
            return true;
    }
    return false;
}

/* Names asked of __has_include / __has_include_next in `data`: their
 * directories go into `subdirs`. False if one is a macro: the answer can
 * then not be checked. */
static bool has_include_dirs(const char *data, StrVec *subdirs)
{
    for (const char *p = strstr(data, "__has_include"); p; p = strstr(p + 1, "__has_include")) {
        const char *q = p + strlen("__has_include");
        if (!strncmp(q, "_next", 5))
            q += 5;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q != '(') {
            if (asked_if_defined(data, p))
                continue; /* `defined(__has_include)`, `#ifdef __has_include` */
            return false;  /* a comment, a macro, a line break: cannot tell what it asks */
        }
        q++;
        while (*q == ' ' || *q == '\t')
            q++;
        char close = *q == '<' ? '>' : *q == '"' ? '"' : 0;
        const char *end = close ? strchr(q + 1, close) : NULL;
        if (!end)
            return false;
        char *name = xstrndup(q + 1, (size_t)(end - q - 1));
        char *dir = dir_of(name);
        push_unique(subdirs, dir);
        free(dir);
        free(name);
    }
    return true;
}

void depcache_record(const char *manifest, const char *text, size_t len, const StrVec *search, uint64_t unit_hash)
{
    StrVec files = STRVEC_INIT, dirs = STRVEC_INIT, subdirs = STRVEC_INIT;
    StrBuf out = STRBUF_INIT;
    marker_files(&files, text, len);
    sb_addf(&out, MANIFEST_MAGIC " %016llx\n", (unsigned long long)unit_hash);
    strvec_push(&subdirs, "");
    for (size_t i = 0; search && i < search->n; i++)
        push_unique(&dirs, search->v[i]);
    bool ok = files.n > 0;
    for (size_t i = 0; ok && i < files.n; i++) {
        const char *f = files.v[i];
        size_t dlen = 0;
        bool cut = false;
        char *data = read_file(f, DEP_MAX, &dlen, &cut);
        ok = data && !cut && !strchr(f, '\n') && strlen(data) == dlen && !strstr(data, "__DATE__") &&
             !strstr(data, "__TIME__") && !strstr(data, "__TIMESTAMP__");
        if (ok) {
            char *code = code_of(data);
            ok = has_include_dirs(code, &subdirs);
            free(code);
        }
        if (ok) {
            /* by the path the compiler took (a symlink on it may be
             * pointed elsewhere), watching its directory and the real one */
            char *real = realpath(f, NULL);
            char *dir = dir_of(f);
            push_unique(&dirs, dir);
            free(dir);
            dir = dir_of(real ? real : f);
            push_unique(&dirs, dir);
            free(dir);
            char hex[33];
            hash_hex(XXH3_128bits(data, dlen), hex); /* = file_xxh128's, read in one piece */
            sb_addf(&out, "f %s %s\n", hex, f);
            /* the sub-directory it lies in, under each search directory */
            for (size_t k = 0; search && k < search->n; k++) {
                size_t sl = strlen(search->v[k]);
                if (!strncmp(f, search->v[k], sl) && f[sl] == '/') {
                    char *sub = dir_of(f + sl + 1);
                    push_unique(&subdirs, sub);
                    free(sub);
                }
            }
            free(real);
        }
        free(data);
    }
    for (size_t i = 0; ok && i < dirs.n; i++) {
        const char *d = dirs.v[i][0] ? dirs.v[i] : ".";
        for (size_t k = 0; ok && k < subdirs.n; k++) {
            char *p = subdirs.v[k][0] ? xasprintf("%s/%s", d, subdirs.v[k]) : xstrdup(d);
            char state[96];
            dir_state(p, state, sizeof state);
            ok = !strchr(p, '\n');
            sb_addf(&out, "d %s %s\n", state, p);
            free(p);
        }
    }
    char *err = NULL; /* a manifest not written: the next build preprocesses */
    if (ok && !write_file_atomic(manifest, out.buf, out.len, &err))
        free(err);
    sb_free(&out);
    strvec_clear(&files);
    strvec_clear(&dirs);
    strvec_clear(&subdirs);
}

void depcache_search_dirs(StrVec *out, const char *v)
{
    /* a directory left out because it does not exist could be made */
    static const char gone[] = "ignoring nonexistent directory \"";
    for (const char *g = strstr(v, gone); g; g = strstr(g + 1, gone)) {
        const char *start = g + strlen(gone), *end = strchr(start, '"');
        const char *eol = strchr(start, '\n');
        if (end && (!eol || end < eol)) {
            char *dir = xstrndup(start, (size_t)(end - start));
            push_unique(out, dir);
            free(dir);
        }
    }
    const char *p = strstr(v, "search starts here:\n");
    const char *end = p ? strstr(p, "End of search list.") : NULL;
    while (p && end && p < end) {
        const char *eol = strchr(p, '\n');
        if (!eol || eol > end)
            break;
        if (p[0] == ' ') {
            char *dir = xstrndup(p + 1, (size_t)(eol - p - 1));
            char *paren = strstr(dir, " (framework directory)");
            if (paren)
                *paren = '\0';
            for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
                dir[n - 1] = '\0'; /* gcc keeps `-Iinc/` as written */
            push_unique(out, dir);
            free(dir);
        }
        p = eol + 1;
    }
}
