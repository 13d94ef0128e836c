/* Walks a preprocessed translation unit (gcc -E output): the lines that
 * come from one file (the submission), after the preprocessor, so that
 * token pasting, macros and continued #defines have become plain text.
 * The visitor hears about identifiers, attributes, function definitions,
 * string literals and pragmas, each with its line in that file. */
#ifndef RACELAB_TU_H
#define RACELAB_TU_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    void *ctx;
    /* an identifier in code; call: a '(' follows it */
    void (*ident)(void *ctx, const char *name, int line, bool call);
    void (*attribute)(void *ctx, const char *name, int line);
    /* a function definition at file scope, with its parameter count */
    void (*definition)(void *ctx, const char *name, int line, int nparams);
    void (*string)(void *ctx, const char *text, size_t len, int line);
    void (*pragma)(void *ctx, const char *text, int line);
} TuVisitor;

void tu_walk(const char *tu, size_t len, const char *file, const TuVisitor *v);

/* The first line of file where two units of it differ in their tokens
 * (0: none): the same source preprocessed for two builds. */
int tu_first_difference(const char *a, size_t alen, const char *b, size_t blen, const char *file);

#endif
