/* Allocation that cannot fail silently. Every x* function returns memory or
 * ends the program with "racelab: out of memory"; a size that would
 * overflow size_t ends it too, instead of allocating too little. */
#ifndef RACELAB_ALLOC_H
#define RACELAB_ALLOC_H

#include <stdarg.h>
#include <stddef.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* n * size bytes, checked for overflow; like reallocarray(3). */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grows *arr, an array of *cap elements of elem bytes, so that `need`
 * elements fit; capacity at least doubles. Dies on overflow. */
void alloc_grow(void **arr, size_t *cap, size_t need, size_t elem);

/* Typed growth: ALLOC_GROW(items, n + 1, cap) makes room for n + 1 items. */
#define ALLOC_GROW(arr, need, cap) alloc_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* Appends value to the array arr of n items (capacity cap). */
#define PUSH(arr, n, cap, value)       \
    do {                               \
        ALLOC_GROW(arr, (n) + 1, cap); \
        (arr)[(n)++] = (value);        \
    } while (0)

#endif
