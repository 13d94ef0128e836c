/* Integer expressions over a case's named parameters, for the `output:` and
 * `creates:` lines: `{threads * iters}`. Operators + - * / % and
 * parentheses; names are parameter names. */
#ifndef RACELAB_EXPR_H
#define RACELAB_EXPR_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *name;
    long long value;
    long long lo, hi; /* grading range; lo == hi when none */
} Param;

typedef struct {
    Param *items;
    size_t n, cap;
} Params;

const Param *params_find(const Params *ps, const char *name);
void params_set(Params *ps, const char *name, long long value);
void params_free(Params *ps);
Params params_copy(const Params *ps);

/* Evaluates expr; on error returns false and sets *err (malloc'd). */
bool expr_eval(const char *expr, const Params *ps, long long *out, char **err);

/* Replaces every {expr} in text; returns malloc'd result or NULL + *err. */
char *expr_subst(const char *text, const Params *ps, char **err);

#endif
