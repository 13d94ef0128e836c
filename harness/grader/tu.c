#include "tu.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"
#include "text.h"

typedef enum { T_IDENT, T_STRING, T_CHAR, T_NUMBER, T_PUNCT } TokKind;

typedef struct {
    TokKind kind;
    char *text;
    int line;
} Tok;

typedef struct {
    Tok *t;
    size_t n, cap;
} Toks;

static void push(Toks *ts, TokKind k, const char *s, size_t n, int line)
{
    Tok t = {k, xstrndup(s, n), line};
    PUSH(ts->t, ts->n, ts->cap, t);
}

/* "# 12 "file.c" 1 3": the line and file the next line comes from. */
static bool marker(const char *line, size_t len, int *lineno, char **file)
{
    if (len < 3 || line[0] != '#' || line[1] != ' ' || !isdigit((unsigned char)line[2]))
        return false;
    *lineno = atoi(line + 2);
    const char *q = memchr(line, '"', len);
    if (q) {
        const char *e = q + 1;
        StrBuf sb = STRBUF_INIT;
        while (e < line + len && *e != '"') {
            if (*e == '\\' && e + 1 < line + len)
                e++;
            sb_addch(&sb, *e++);
        }
        free(*file);
        *file = sb_steal(&sb);
    }
    return true;
}

/* The tokens of one line of code. */
static void lex_line(const char *p, size_t len, int line, Toks *ts)
{
    const char *end = p + len;
    while (p < end) {
        if (isspace((unsigned char)*p)) {
            p++;
        } else if (isalpha((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
                p++;
            push(ts, T_IDENT, s, (size_t)(p - s), line);
        } else if (isdigit((unsigned char)*p)) {
            const char *s = p;
            while (p < end && (isalnum((unsigned char)*p) || *p == '.' || *p == '_'))
                p++;
            push(ts, T_NUMBER, s, (size_t)(p - s), line);
        } else if (*p == '"' || *p == '\'') {
            char q = *p;
            const char *s = ++p;
            while (p < end && *p != q) {
                if (*p == '\\' && p + 1 < end)
                    p++;
                p++;
            }
            push(ts, q == '"' ? T_STRING : T_CHAR, s, (size_t)(p - s), line);
            if (p < end)
                p++;
        } else {
            push(ts, T_PUNCT, p, 1, line);
            p++;
        }
    }
}

static bool is(const Tok *t, const char *s)
{
    return t->kind == T_PUNCT ? t->text[0] == s[0] && !s[1] : !strcmp(t->text, s);
}

/* The index of the ')' that closes the '(' at i, or n. */
static size_t close_paren(const Toks *ts, size_t i)
{
    int depth = 0;
    for (; i < ts->n; i++) {
        if (ts->t[i].kind != T_PUNCT)
            continue;
        depth += is(&ts->t[i], "(");
        depth -= is(&ts->t[i], ")");
        if (!depth)
            return i;
    }
    return ts->n;
}

static void attributes(const Toks *ts, size_t open, size_t close, const TuVisitor *v)
{
    /* names at depth 2 of __attribute__((a, b(x), c)) */
    int depth = 0;
    for (size_t i = open; i < close; i++) {
        const Tok *t = &ts->t[i];
        if (t->kind == T_PUNCT) {
            depth += is(t, "(");
            depth -= is(t, ")");
        } else if (t->kind == T_IDENT && depth == 2 && v->attribute) {
            v->attribute(v->ctx, t->text, t->line);
        }
    }
}

static void walk_tokens(const Toks *ts, const TuVisitor *v)
{
    int braces = 0;
    for (size_t i = 0; i < ts->n; i++) {
        const Tok *t = &ts->t[i];
        if (t->kind == T_PUNCT) {
            braces += is(t, "{");
            braces -= is(t, "}");
            /* [[gnu::x, y]] */
            if (is(t, "[") && i + 1 < ts->n && is(&ts->t[i + 1], "[")) {
                for (size_t k = i + 2; k + 1 < ts->n && !(is(&ts->t[k], "]") && is(&ts->t[k + 1], "]")); k++) {
                    if (ts->t[k].kind != T_IDENT || !v->attribute)
                        continue;
                    bool scope = k + 2 < ts->n && is(&ts->t[k + 1], ":") && is(&ts->t[k + 2], ":");
                    if (!scope)
                        v->attribute(v->ctx, ts->t[k].text, ts->t[k].line);
                }
            }
            continue;
        }
        if (t->kind == T_STRING) {
            if (v->string)
                v->string(v->ctx, t->text, strlen(t->text), t->line);
            continue;
        }
        if (t->kind != T_IDENT)
            continue;
        bool call = i + 1 < ts->n && is(&ts->t[i + 1], "(");
        if ((!strcmp(t->text, "__attribute__") || !strcmp(t->text, "__attribute")) && call) {
            size_t close = close_paren(ts, i + 1);
            attributes(ts, i + 1, close, v);
            i = close;
            continue;
        }
        if (v->ident)
            v->ident(v->ctx, t->text, t->line, call);
        if (call && braces == 0 && v->definition) {
            size_t close = close_paren(ts, i + 1);
            size_t after = close + 1;
            while (after < ts->n && ts->t[after].kind == T_IDENT && !strcmp(ts->t[after].text, "__attribute__"))
                after = close_paren(ts, after + 1) + 1;
            if (after < ts->n && is(&ts->t[after], "{")) {
                int params = 0, depth = 0;
                bool any = false;
                for (size_t k = i + 2; k < close; k++) {
                    const Tok *p = &ts->t[k];
                    depth += is(p, "(") - is(p, ")");
                    if (depth == 0 && is(p, ","))
                        params++;
                    if (!(p->kind == T_IDENT && !strcmp(p->text, "void") && close == i + 3))
                        any = true;
                }
                v->definition(v->ctx, t->text, t->line, any ? params + 1 : 0);
            }
        }
    }
}

/* The tokens of file's own lines in a unit (#pragma lines as one token). */
static void own_tokens(const char *tu, size_t len, const char *file, Toks *ts)
{
    char *copy = xstrndup(tu, len);
    const char *pos = copy, *line;
    size_t ll;
    char *current = NULL;
    int lineno = 1;
    while (next_line(&pos, &line, &ll)) {
        int at = lineno++;
        if (marker(line, ll, &lineno, &current) || !current || strcmp(current, file) != 0)
            continue;
        lex_line(line, ll, at, ts);
    }
    free(current);
    free(copy);
}

static void toks_free(Toks *ts)
{
    for (size_t i = 0; i < ts->n; i++)
        free(ts->t[i].text);
    free(ts->t);
}

int tu_first_difference(const char *a, size_t alen, const char *b, size_t blen, const char *file)
{
    Toks ta = {0}, tb = {0};
    own_tokens(a, alen, file, &ta);
    own_tokens(b, blen, file, &tb);
    int line = 0;
    size_t i = 0;
    for (; i < ta.n && i < tb.n && !line; i++)
        if (ta.t[i].kind != tb.t[i].kind || strcmp(ta.t[i].text, tb.t[i].text) != 0)
            line = ta.t[i].line < tb.t[i].line ? ta.t[i].line : tb.t[i].line;
    if (!line && ta.n != tb.n) /* one is longer: where the other ended */
        line = i < ta.n ? ta.t[i].line : i < tb.n ? tb.t[i].line : 1;
    toks_free(&ta);
    toks_free(&tb);
    return line;
}

void tu_walk(const char *tu, size_t len, const char *file, const TuVisitor *v)
{
    char *copy = xstrndup(tu, len);
    const char *pos = copy, *line;
    size_t ll;
    char *current = NULL;
    int lineno = 1;
    Toks ts = {0};
    while (next_line(&pos, &line, &ll)) {
        int at = lineno++;
        if (marker(line, ll, &lineno, &current))
            continue;
        bool ours = current && !strcmp(current, file);
        if (!ours)
            continue;
        const char *s = line;
        while (s < line + ll && isspace((unsigned char)*s))
            s++;
        if (s < line + ll && *s == '#') { /* #pragma, and nothing else survives gcc -E */
            if (v->pragma) {
                char *p = xstrndup(s, (size_t)(line + ll - s));
                v->pragma(v->ctx, p, at);
                free(p);
            }
            continue;
        }
        lex_line(line, ll, at, &ts);
    }
    walk_tokens(&ts, v);
    for (size_t i = 0; i < ts.n; i++)
        free(ts.t[i].text);
    free(ts.t);
    free(current);
    free(copy);
}
