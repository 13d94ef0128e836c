#include "expr.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"

const Param *params_find(const Params *ps, const char *name)
{
    for (size_t i = 0; i < ps->n; i++)
        if (!strcmp(ps->items[i].name, name))
            return &ps->items[i];
    return NULL;
}

void params_set(Params *ps, const char *name, long long value)
{
    Param *p = (Param *)params_find(ps, name);
    if (p) {
        p->value = value;
        return;
    }
    Param np = {xstrdup(name), value, value, value};
    PUSH(ps->items, ps->n, ps->cap, np);
}

void params_free(Params *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        free(ps->items[i].name);
    free(ps->items);
    ps->items = NULL;
    ps->n = ps->cap = 0;
}

Params params_copy(const Params *ps)
{
    Params c = {0};
    for (size_t i = 0; i < ps->n; i++) {
        params_set(&c, ps->items[i].name, ps->items[i].value);
        c.items[i].lo = ps->items[i].lo;
        c.items[i].hi = ps->items[i].hi;
    }
    return c;
}

/* Recursive descent: expr = term {(+|-) term}; term = unary {(*|/|%) unary};
 * unary = [-] primary; primary = number | name | ( expr ). */
typedef struct {
    const char *s;
    const Params *ps;
    char *err;
} Parser;

static void skip(Parser *p)
{
    while (*p->s == ' ' || *p->s == '\t')
        p->s++;
}

static bool fail(Parser *p, const char *msg)
{
    if (!p->err)
        p->err = xasprintf("%s at \"%s\"", msg, p->s);
    return false;
}

static bool parse_expr(Parser *p, long long *v);

static bool parse_primary(Parser *p, long long *v)
{
    skip(p);
    if (*p->s == '(') {
        p->s++;
        if (!parse_expr(p, v))
            return false;
        skip(p);
        if (*p->s != ')')
            return fail(p, "expected ')'");
        p->s++;
        return true;
    }
    if (isdigit((unsigned char)*p->s)) {
        long long n = 0;
        while (isdigit((unsigned char)*p->s)) {
            if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, *p->s - '0', &n))
                return fail(p, "number too large");
            p->s++;
        }
        *v = n;
        return true;
    }
    if (isalpha((unsigned char)*p->s) || *p->s == '_') {
        const char *start = p->s;
        while (isalnum((unsigned char)*p->s) || *p->s == '_')
            p->s++;
        char *name = xstrndup(start, (size_t)(p->s - start));
        const Param *prm = params_find(p->ps, name);
        free(name);
        if (!prm) {
            p->s = start;
            return fail(p, "unknown parameter");
        }
        *v = prm->value;
        return true;
    }
    return fail(p, "expected a number, a name or '('");
}

static bool parse_unary(Parser *p, long long *v)
{
    skip(p);
    if (*p->s == '-') {
        p->s++;
        if (!parse_unary(p, v))
            return false;
        if (*v == LLONG_MIN)
            return fail(p, "overflow");
        *v = -*v;
        return true;
    }
    return parse_primary(p, v);
}

static bool parse_term(Parser *p, long long *v)
{
    if (!parse_unary(p, v))
        return false;
    for (;;) {
        skip(p);
        char op = *p->s;
        if (op != '*' && op != '/' && op != '%')
            return true;
        p->s++;
        long long r;
        if (!parse_unary(p, &r))
            return false;
        if (op == '*') {
            if (__builtin_mul_overflow(*v, r, v))
                return fail(p, "overflow");
        } else {
            if (r == 0)
                return fail(p, "division by zero");
            if (*v == LLONG_MIN && r == -1)
                return fail(p, "overflow");
            *v = op == '/' ? *v / r : *v % r;
        }
    }
}

static bool parse_expr(Parser *p, long long *v)
{
    if (!parse_term(p, v))
        return false;
    for (;;) {
        skip(p);
        char op = *p->s;
        if (op != '+' && op != '-')
            return true;
        p->s++;
        long long r;
        if (!parse_term(p, &r))
            return false;
        bool ovf = op == '+' ? __builtin_add_overflow(*v, r, v) : __builtin_sub_overflow(*v, r, v);
        if (ovf)
            return fail(p, "overflow");
    }
}

bool expr_eval(const char *expr, const Params *ps, long long *out, char **err)
{
    Parser p = {expr, ps, NULL};
    long long v = 0;
    bool ok = parse_expr(&p, &v);
    if (ok) {
        skip(&p);
        if (*p.s)
            ok = fail(&p, "unexpected text");
    }
    if (!ok) {
        *err = p.err;
        return false;
    }
    *out = v;
    return true;
}

char *expr_subst(const char *text, const Params *ps, char **err)
{
    StrBuf sb = STRBUF_INIT;
    const char *s = text;
    while (*s) {
        const char *open = strchr(s, '{');
        if (!open) {
            sb_add(&sb, s);
            break;
        }
        sb_addn(&sb, s, (size_t)(open - s));
        const char *close = strchr(open, '}');
        if (!close) {
            *err = xasprintf("unclosed '{' in \"%s\"", text);
            sb_free(&sb);
            return NULL;
        }
        char *inner = xstrndup(open + 1, (size_t)(close - open - 1));
        long long v;
        bool ok = expr_eval(inner, ps, &v, err);
        free(inner);
        if (!ok) {
            sb_free(&sb);
            return NULL;
        }
        sb_addf(&sb, "%lld", v);
        s = close + 1;
    }
    return sb_steal(&sb);
}
