/* Small helpers every harness file uses: allocation that cannot fail
 * silently, a growable string, file I/O, paths. */
#ifndef RACELAB_UTIL_H
#define RACELAB_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grow *arr (of *cap elements of size elem) so index n fits. */
void grow(void **arr, size_t *cap, size_t n, size_t elem);
#define PUSH(arr, n, cap, value)                                          \
    do {                                                                  \
        grow((void **)&(arr), &(cap), (n) + 1, sizeof(*(arr)));           \
        (arr)[(n)++] = (value);                                           \
    } while (0)

/* qsort comparator for an array of char *. */
int cmp_strptr(const void *a, const void *b);
/* Frees a NULL-terminated vector of malloc'd strings, and the vector. */
void strv_free(char **v);

typedef struct {
    char *buf;
    size_t len, cap;
} StrBuf;

void sb_add(StrBuf *sb, const char *s);
void sb_addn(StrBuf *sb, const char *s, size_t n);
void sb_addf(StrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sb_steal(StrBuf *sb); /* returns the string ("" if empty); sb is reset */
void sb_free(StrBuf *sb);

/* Reads at most max bytes of a file; *len gets the size read, *truncated
 * whether there was more. Returns NULL (errno set) if it cannot be read. */
char *read_file(const char *path, size_t max, size_t *len, bool *truncated);
bool write_file(const char *path, const char *data, size_t len);
bool mkdir_p(const char *path);
bool remove_tree(const char *path);
bool file_exists(const char *path);
char *path_join(const char *a, const char *b);
const char *path_base(const char *path);
char *path_dirname(const char *path);
/* realpath() that returns a malloc'd copy of path itself when it fails */
char *real_or_copy(const char *path);

bool starts_with(const char *s, const char *prefix);
bool ends_with(const char *s, const char *suffix);
char *trim(char *s); /* in place */
/* Splits s in place on runs of spaces/tabs; returns count (max n). */
size_t split_ws(char *s, char **out, size_t n);

uint64_t fnv1a(const void *data, size_t len, uint64_t h);
#define FNV_INIT 0xcbf29ce484222325ULL

double now_seconds(void);

/* Messages go to stderr prefixed with "racelab: ". */
void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
