/* What a loaded case spec is used for, and its end: labels looked up,
 * a params set as argv, `creates:` evaluated, everything freed. */
#include "spec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strvec.h"

void spec_expect_free(Expect *e)
{
    for (size_t k = 0; k < e->nlabels; k++)
        free(e->labels[k]);
    free(e->labels);
    free(e->lines);
    free(e->kind);
    free(e->var);
}

const Label *spec_find_label(const CaseSpec *spec, const char *name)
{
    for (size_t i = 0; i < spec->nlabels; i++)
        if (!strcmp(spec->labels[i].name, name))
            return &spec->labels[i];
    return NULL;
}

Params spec_verify_params(const CaseSpec *s)
{
    Params ps = params_copy(&s->params);
    for (size_t i = 0; i < s->verify.n; i++)
        params_set(&ps, s->verify.items[i].name, s->verify.items[i].value);
    return ps;
}

void spec_free(CaseSpec *s)
{
    free(s->name);
    free(s->path);
    free(s->klass);
    params_free(&s->params);
    params_free(&s->stress);
    params_free(&s->verify);
    for (size_t i = 0; i < s->noutputs; i++)
        free(s->outputs[i]);
    free(s->outputs);
    free(s->creates);
    free(s->allow);
    for (int t = 0; t < TOOL_COUNT; t++) {
        ToolExpect *te = &s->tools[t];
        free(te->why);
        for (size_t i = 0; i < te->n; i++)
            spec_expect_free(&te->items[i]);
        free(te->items);
    }
    for (int t = 0; t < TOOL_COUNT; t++)
        free(s->expect[t].regex);
    free(s->native_arg);
    for (size_t i = 0; i < s->nlabels; i++)
        free(s->labels[i].name);
    free(s->labels);
    memset(s, 0, sizeof *s);
}

void spec_args(const Params *ps, StrVec *args)
{
    for (size_t i = 0; i < ps->n; i++)
        strvec_pushf(args, "%lld", ps->items[i].value);
}

bool spec_creates(const CaseSpec *s, const Params *ps, long long *out, char **err)
{
    char *r = expr_subst(s->creates, ps, err);
    if (!r)
        return false;
    char *end;
    errno = 0;
    *out = strtoll(r, &end, 10);
    bool ok = !errno && end != r && !*end;
    if (!ok)
        *err = xasprintf("'%s' is not a number", r);
    free(r);
    return ok;
}
