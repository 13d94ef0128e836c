/* A lab case's expectations, read from the `racelab:` block in the first
 * comment of cases/NAME.c (format: docs/case-format.md). */
#ifndef RACELAB_SPEC_H
#define RACELAB_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "expr.h"
#include "strvec.h"
#include "tool.h"
#include "verdict.h"

typedef struct {
    char *name;
    int line;
} Label;

/* One expected finding: `KIND [VAR] @label...` */
typedef struct {
    char *kind;
    char *var;     /* NULL: not checked */
    char **labels; /* without '@' */
    int *lines;    /* resolved source lines, same order */
    size_t nlabels;
    int spec_line; /* where it is written, for messages */
} Expect;

typedef struct {
    bool given;
    bool blind;
    char *why; /* for blind */
    Expect *items;
    size_t n, cap;
} ToolExpect;

typedef enum { NATIVE_WRONG_ANSWER, NATIVE_DEADLOCK } NativeBug;

typedef struct {
    char *name; /* file stem: lost_update */
    char *path; /* cases/lost_update.c as given */
    char *klass;
    Params params; /* detector values; lo/hi = grading range */
    Params stress; /* native values */
    Params verify; /* explore's bounded search: small values (spec_verify_params) */
    char **outputs;
    size_t noutputs, outputs_cap;
    char *creates; /* expression, or NULL */
    char *allow;   /* `allow:` words: what a graded submission may use beyond the rest (NULL: nothing more) */
    ToolExpect tools[TOOL_COUNT];
    NativeBug native;
    char *native_arg; /* for NATIVE_DEADLOCK */
    /* `expect: TOOL VERDICT [-- REGEX]`: the buggy program's verdict
     * under TOOL when it is not the usual one (the harness's own
     * fixtures: ERROR, TIMEOUT ...), and a POSIX extended regex that
     * the printed result must match (@label written as its line). */
    struct {
        bool given;
        Verdict verdict;
        char *regex; /* NULL: none */
    } expect[TOOL_COUNT];
    Label *labels;
    size_t nlabels, labels_cap;
} CaseSpec;

/* Loads and validates; on error returns false with *err = "file:line: why". */
bool spec_load(const char *path, CaseSpec *spec, char **err);
void spec_free(CaseSpec *spec);
/* The values the bounded search verifies a fix at, and finds the bug at:
 * `verify:` over `params:` (what verify does not set is params'). */
Params spec_verify_params(const CaseSpec *s);
void spec_expect_free(Expect *e);

/* Scans source for `@label` comments after the first comment. Used for
 * cases and for submissions (labels are only read from the case). */
bool spec_scan_labels(const char *path, const char *text, Label **labels, size_t *n, size_t *cap, char **err);
const Label *spec_find_label(const CaseSpec *spec, const char *name);

/* Evaluates `creates:` over ps. */
bool spec_creates(const CaseSpec *s, const Params *ps, long long *out, char **err);

/* Appends the argv values of a params set, in declaration order. */
void spec_args(const Params *ps, StrVec *args);

#endif
