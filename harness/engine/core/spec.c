#include "spec.h"

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "strbuf.h"
#include "strvec.h"
#include "text.h"

#define SPEC_MAX_BYTES (1u << 20)

typedef struct {
    const char *path;
    int line;
    char *err;
} Ctx;

static bool bad(Ctx *c, const char *fmt, const char *arg)
{
    if (!c->err) {
        char *msg = xasprintf(fmt, arg ? arg : "");
        c->err = xasprintf("%s:%d: %s", c->path, c->line, msg);
        free(msg);
    }
    return false;
}

static bool is_ident(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

static bool parse_ll(const char *s, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return !errno && end != s && !*end;
}

/* "name=value name=value" */
static bool parse_assignments(Ctx *c, const char *value, Params *ps, const Params *known)
{
    StrVec tok = STRVEC_INIT;
    strvec_push_words(&tok, value);
    bool ok = tok.n > 0 || bad(c, "expected name=value", NULL);
    for (size_t i = 0; ok && i < tok.n; i++) {
        char *eq = strchr(tok.v[i], '=');
        long long v;
        if (!eq) {
            ok = bad(c, "expected name=value, got '%s'", tok.v[i]);
            break;
        }
        *eq = '\0';
        if (!is_ident(tok.v[i]))
            ok = bad(c, "bad parameter name '%s'", tok.v[i]);
        else if (!parse_ll(eq + 1, &v))
            ok = bad(c, "parameter value must be an integer: '%s'", eq + 1);
        else if (known && !params_find(known, tok.v[i]))
            ok = bad(c, "'%s' is not a parameter named in params:", tok.v[i]);
        else if (!known && params_find(ps, tok.v[i]))
            ok = bad(c, "parameter '%s' given twice", tok.v[i]);
        else
            params_set(ps, tok.v[i], v);
    }
    strvec_clear(&tok);
    return ok;
}

/* "name=lo..hi" ranges for grading, into the params' lo/hi */
static bool parse_ranges(Ctx *c, const char *value, Params *ps)
{
    StrVec tok = STRVEC_INIT;
    strvec_push_words(&tok, value);
    bool ok = true;
    for (size_t i = 0; ok && i < tok.n; i++) {
        char *eq = strchr(tok.v[i], '=');
        char *dots = eq ? strstr(eq, "..") : NULL;
        long long lo, hi;
        if (!eq || !dots) {
            ok = bad(c, "expected name=lo..hi, got '%s'", tok.v[i]);
            break;
        }
        *eq = '\0';
        *dots = '\0';
        Param *p = (Param *)params_find(ps, tok.v[i]);
        if (!p)
            ok = bad(c, "'%s' is not a parameter named in params:", tok.v[i]);
        else if (!parse_ll(eq + 1, &lo) || !parse_ll(dots + 2, &hi) || lo > hi)
            ok = bad(c, "bad range for '%s'", tok.v[i]);
        else
            p->lo = lo, p->hi = hi;
    }
    strvec_clear(&tok);
    return ok;
}

static bool parse_tool_line(Ctx *c, ToolExpect *te, char *value)
{
    if (starts_with(value, "blind")) {
        if (te->n)
            return bad(c, "a tool is either blind or has findings, not both", NULL);
        char *why = strstr(value, "--");
        if (!why || !*trim(why + 2))
            return bad(c, "say why the tool is blind: 'blind -- reason'", NULL);
        te->given = te->blind = true;
        te->why = xstrdup(trim(why + 2));
        return true;
    }
    if (te->blind)
        return bad(c, "a tool is either blind or has findings, not both", NULL);
    StrVec tok = STRVEC_INIT;
    strvec_push_words(&tok, value);
    Expect e = {0};
    e.spec_line = c->line;
    bool ok = true;
    size_t i = 1;
    if (!tok.n)
        ok = bad(c, "expected 'KIND [VARIABLE] @label...' or 'blind -- why'", NULL);
    else if (tok.n == 1 && tok.v[0][0] != '@') {
        /* a finding with no place in the code (explore: wrong-answer) */
        e.kind = xstrdup(tok.v[0]);
        te->given = true;
        strvec_clear(&tok);
        PUSH(te->items, te->n, te->cap, e);
        return true;
    } else if (tok.v[0][0] == '@')
        ok = bad(c, "the finding kind comes first, then the @labels", NULL);
    else if (tok.v[1][0] != '@') {
        if (!is_ident(tok.v[1]))
            ok = bad(c, "bad variable name '%s'", tok.v[1]);
        e.var = xstrdup(tok.v[1]);
        i = 2;
    }
    if (ok && i >= tok.n)
        ok = bad(c, "an expected finding needs at least one @label", NULL);
    if (ok) {
        e.kind = xstrdup(tok.v[0]);
        e.labels = xcalloc(tok.n - i, sizeof(char *));
        e.lines = xcalloc(tok.n - i, sizeof(int));
    }
    for (; ok && i < tok.n; i++) {
        if (tok.v[i][0] != '@' || !is_ident(tok.v[i] + 1))
            ok = bad(c, "expected an @label, got '%s'", tok.v[i]);
        else
            e.labels[e.nlabels++] = xstrdup(tok.v[i] + 1);
    }
    strvec_clear(&tok);
    if (!ok) {
        spec_expect_free(&e);
        return false;
    }
    te->given = true;
    PUSH(te->items, te->n, te->cap, e);
    return true;
}

static bool parse_native(Ctx *c, CaseSpec *s, char *value)
{
    if (!strcmp(value, "wrong-answer")) {
        s->native = NATIVE_WRONG_ANSWER;
        return true;
    }
    if (starts_with(value, "deadlock with ")) {
        char *arg = trim(value + strlen("deadlock with "));
        if (!*arg)
            return bad(c, "deadlock with what argument?", NULL);
        s->native = NATIVE_DEADLOCK;
        s->native_arg = xstrdup(arg);
        return true;
    }
    return bad(c, "native: is 'wrong-answer' or 'deadlock with ARG'", NULL);
}

/* "TOOL VERDICT [-- REGEX]" */
static bool parse_expect(Ctx *c, CaseSpec *s, char *value)
{
    char *regex = strstr(value, " -- ");
    if (regex) {
        *regex = '\0';
        regex = trim(regex + 4);
    }
    StrVec tok = STRVEC_INIT;
    strvec_push_words(&tok, value);
    ToolId t;
    Verdict v;
    bool ok = false;
    if (tok.n != 2)
        bad(c, "expected 'TOOL VERDICT [-- REGEX]'", NULL);
    else if (!tool_from_name(tok.v[0], &t))
        bad(c, "unknown tool '%s'", tok.v[0]);
    else if (!verdict_from_name(tok.v[1], &v))
        bad(c, "unknown verdict '%s' (CLEAN, DETECTED, ERROR, TIMEOUT, DEADLOCK, ...)", tok.v[1]);
    else if (s->expect[t].given)
        bad(c, "a second 'expect:' for %s", tok.v[0]);
    else
        ok = true;
    if (ok) {
        s->expect[t].given = true;
        s->expect[t].verdict = v;
        s->expect[t].regex = regex && *regex ? xstrdup(regex) : NULL;
    }
    strvec_clear(&tok);
    return ok;
}

static bool handle_key(Ctx *c, CaseSpec *s, const char *key, char *value, bool *seen_native)
{
    ToolId t;
    if (!strcmp(key, "class")) {
        if (!is_ident(value) && strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(value))
            return bad(c, "bad class name '%s'", value);
        free(s->klass);
        s->klass = xstrdup(value);
        return true;
    }
    if (!strcmp(key, "params"))
        return parse_assignments(c, value, &s->params, NULL);
    if (!strcmp(key, "stress"))
        return parse_assignments(c, value, &s->stress, &s->params);
    if (!strcmp(key, "verify"))
        return parse_assignments(c, value, &s->verify, &s->params);
    if (!strcmp(key, "grade"))
        return parse_ranges(c, value, &s->params);
    if (!strcmp(key, "output")) {
        char *v = xstrdup(value);
        PUSH(s->outputs, s->noutputs, s->outputs_cap, v);
        return true;
    }
    if (!strcmp(key, "allow")) {
        char *more = s->allow ? xasprintf("%s %s", s->allow, value) : xstrdup(value);
        free(s->allow);
        s->allow = more;
        return true;
    }
    if (!strcmp(key, "creates")) {
        free(s->creates);
        s->creates = xstrdup(value);
        return true;
    }
    if (!strcmp(key, "native")) {
        *seen_native = true;
        return parse_native(c, s, value);
    }
    if (!strcmp(key, "expect"))
        return parse_expect(c, s, value);
    if (tool_from_name(key, &t) && t != TOOL_NATIVE)
        return parse_tool_line(c, &s->tools[t], value);
    return bad(c, "unknown key '%s'", key);
}

/* Returns the text between the first comment's opening and closing marks,
 * and the line where the comment ends. */
static bool first_comment(const char *text, const char **start, const char **end)
{
    const char *open = strstr(text, "/*");
    if (!open)
        return false;
    for (const char *p = text; p < open; p++)
        if (!isspace((unsigned char)*p))
            return false; /* the lesson comment must come first */
    const char *close = strstr(open + 2, "*/");
    if (!close)
        return false;
    *start = open + 2;
    *end = close;
    return true;
}

static int line_of(const char *text, const char *p)
{
    int line = 1;
    for (const char *q = text; q < p; q++)
        line += *q == '\n';
    return line;
}

bool spec_scan_labels(const char *path, const char *text, Label **labels, size_t *n, size_t *cap, char **err)
{
    const char *hs, *he;
    const char *p = first_comment(text, &hs, &he) ? he + 2 : text;
    int line = line_of(text, p);
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char *ln = xstrndup(p, len);
        char *com = strstr(ln, "//");
        char *com2 = strstr(ln, "/*");
        if (!com || (com2 && com2 < com))
            com = com2;
        for (char *at = com ? strchr(com, '@') : NULL; at; at = strchr(at + 1, '@')) {
            size_t k = 1;
            while (isalnum((unsigned char)at[k]) || at[k] == '_')
                k++;
            if (k == 1 || !(isalpha((unsigned char)at[1]) || at[1] == '_'))
                continue;
            char *name = xstrndup(at + 1, k - 1);
            for (size_t i = 0; i < *n; i++) {
                if (!strcmp((*labels)[i].name, name)) {
                    *err = xasprintf("%s:%d: label @%s is already on line %d", path, line, name, (*labels)[i].line);
                    free(name);
                    free(ln);
                    return false;
                }
            }
            Label l = {name, line};
            PUSH(*labels, *n, *cap, l);
        }
        free(ln);
        if (!eol)
            break;
        p = eol + 1;
        line++;
    }
    return true;
}

static char *stem_of(const char *path)
{
    const char *base = path_base(path);
    const char *dot = strrchr(base, '.');
    return xstrndup(base, dot ? (size_t)(dot - base) : strlen(base));
}

/* The regex of an `expect:` line with each @label written as its line
 * number; NULL with the reason in c when a label is unknown. */
static char *resolve_labels(Ctx *c, const CaseSpec *s, const char *regex)
{
    StrBuf sb = STRBUF_INIT;
    for (const char *p = regex; *p;) {
        if (*p != '@' || !(isalpha((unsigned char)p[1]) || p[1] == '_')) {
            sb_addch(&sb, *p++);
            continue;
        }
        size_t n = 1;
        while (isalnum((unsigned char)p[n]) || p[n] == '_')
            n++;
        char *name = xstrndup(p + 1, n - 1);
        const Label *l = spec_find_label(s, name);
        if (!l)
            bad(c, "expect: label @%s is not on any line of the code", name);
        else
            sb_addf(&sb, "%d", l->line);
        free(name);
        if (!l) {
            sb_free(&sb);
            return NULL;
        }
        p += n;
    }
    return sb_steal(&sb);
}

static bool validate(Ctx *c, CaseSpec *s, bool seen_native)
{
    for (int t = 0; t < TOOL_COUNT; t++) {
        if (!s->expect[t].regex)
            continue;
        char *r = resolve_labels(c, s, s->expect[t].regex);
        if (!r)
            return false;
        free(s->expect[t].regex);
        s->expect[t].regex = r;
        regex_t re;
        if (regcomp(&re, r, REG_EXTENDED | REG_NOSUB) != 0)
            return bad(c, "expect: not a POSIX extended regex: %s", r);
        regfree(&re);
    }
    static const char *const need[] = {"class", "params", "output"};
    const void *have[] = {s->klass, s->params.n ? s->params.items : NULL, s->noutputs ? s->outputs : NULL};
    for (size_t i = 0; i < ARRAY_LEN(need); i++)
        if (!have[i])
            return bad(c, "the racelab: block has no '%s:' line", need[i]);
    if (!seen_native)
        return bad(c, "the racelab: block has no 'native:' line", NULL);
    for (int t = 0; t < DETECTOR_COUNT; t++)
        if (!s->tools[t].given)
            return bad(c, "no '%s:' line: give the expected findings or 'blind -- why'", tool_name((ToolId)t));
    /* every output and creates expression must evaluate over params */
    for (size_t i = 0; i < s->noutputs; i++) {
        char *e = NULL, *r = expr_subst(s->outputs[i], &s->params, &e);
        if (!r) {
            bool ok = bad(c, "output: %s", e);
            free(e);
            return ok;
        }
        free(r);
    }
    if (s->creates) {
        long long v;
        char *e = NULL;
        if (!spec_creates(s, &s->params, &v, &e)) {
            bool ok = bad(c, "creates: %s", e);
            free(e);
            return ok;
        }
    }
    for (int t = 0; t < DETECTOR_COUNT; t++) {
        ToolExpect *te = &s->tools[t];
        for (size_t i = 0; i < te->n; i++) {
            Expect *e = &te->items[i];
            for (size_t k = 0; k < e->nlabels; k++) {
                const Label *l = spec_find_label(s, e->labels[k]);
                if (!l) {
                    c->line = e->spec_line;
                    return bad(c, "label @%s is not on any line of the code", e->labels[k]);
                }
                e->lines[k] = l->line;
            }
        }
    }
    return true;
}

bool spec_load(const char *path, CaseSpec *s, char **err)
{
    memset(s, 0, sizeof *s);
    s->path = xstrdup(path);
    s->name = stem_of(path);
    Ctx c = {path, 0, NULL};
    bool trunc = false;
    char *text = read_file(path, SPEC_MAX_BYTES, NULL, &trunc);
    if (!text) {
        *err = xasprintf("%s: cannot read: %s", path, strerror(errno));
        return false;
    }
    const char *hs, *he;
    if (trunc)
        bad(&c, "file larger than 1 MiB", NULL);
    else if (!first_comment(text, &hs, &he))
        bad(&c, "no lesson comment at the top of the file", NULL);
    bool in_block = false, seen_native = false, found = false;
    if (!c.err) {
        char *hdr = xstrndup(hs, (size_t)(he - hs));
        c.line = line_of(text, hs);
        for (char *ln = hdr; ln && !c.err; c.line++) {
            char *eol = strchr(ln, '\n');
            if (eol)
                *eol = '\0';
            char *body = ln;
            while (*body == ' ' || *body == '\t')
                body++;
            if (*body == '*')
                body++;
            body = trim(body);
            if (!in_block) {
                if (!strcmp(body, "racelab:"))
                    in_block = found = true;
            } else {
                char *colon = strchr(body, ':');
                char *key = body;
                bool is_kv = colon && colon > body;
                if (is_kv) {
                    *colon = '\0';
                    is_kv = is_ident(key);
                }
                if (!is_kv) {
                    in_block = false;
                    break;
                }
                handle_key(&c, s, key, trim(colon + 1), &seen_native);
            }
            ln = eol ? eol + 1 : NULL;
        }
        free(hdr);
        if (!found && !c.err)
            bad(&c, "no 'racelab:' block in the first comment", NULL);
    }
    if (!c.err && spec_scan_labels(path, text, &s->labels, &s->nlabels, &s->labels_cap, &c.err))
        validate(&c, s, seen_native);
    free(text);
    if (c.err) {
        *err = c.err;
        spec_free(s);
        return false;
    }
    /* stress defaults to params for names it does not set */
    for (size_t i = 0; i < s->params.n; i++)
        if (!params_find(&s->stress, s->params.items[i].name))
            params_set(&s->stress, s->params.items[i].name, s->params.items[i].value);
    /* keep the stress values in declaration order */
    Params ordered = {0};
    for (size_t i = 0; i < s->params.n; i++)
        params_set(&ordered, s->params.items[i].name, params_find(&s->stress, s->params.items[i].name)->value);
    params_free(&s->stress);
    s->stress = ordered;
    return true;
}
