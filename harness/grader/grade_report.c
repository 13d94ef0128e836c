/* A grade as JSON (every other output is made from it), as text for the
 * student, and as Gradescope's results.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "grade.h"
#include "json_out.h"
#include "strbuf.h"

/* Every text member is a string, "" when there is nothing to say. */
static json_t *jstr(const char *s)
{
    return json_text(s ? s : "");
}

static const char *status_word(ItemStatus s)
{
    static const char *const n[] = {"passed", "failed", "skipped", "not-needed"};
    return n[s];
}

json_t *grade_to_json(const GradeOptions *o, const Submission *sub, const GradeResult *g)
{
    json_t *j = json_object();
    json_object_set_new(j, "case", jstr(o->spec->name));
    json_object_set_new(j, "class", jstr(o->spec->klass));
    json_object_set_new(j, "submission", jstr(sub->display));
    json_object_set_new(j, "score", json_integer(g->score));
    json_object_set_new(j, "max_score", json_integer(g->max));
    const char *status = g->rejected ? "rejected" : g->cheats.n ? "cheat" : g->score == g->max ? "full" : "partial";
    json_object_set_new(j, "status", json_string(status));
    if (g->rejected)
        json_object_set_new(j, "rejected", jstr(g->rejected));
    json_t *cheats = json_array();
    for (size_t i = 0; i < g->cheats.n; i++) {
        json_t *c = json_object();
        json_object_set_new(c, "id", jstr(g->cheats.items[i].id));
        json_object_set_new(c, "line", json_integer(g->cheats.items[i].line));
        json_object_set_new(c, "message", jstr(g->cheats.items[i].message));
        json_array_append_new(cheats, c);
    }
    json_object_set_new(j, "cheats", cheats);
    json_t *items = json_array();
    for (int i = 0; i < ITEM_COUNT; i++) {
        const GradeItem *c = &g->items[i];
        json_t *k = json_object();
        json_object_set_new(k, "id", json_string(item_key((ItemId)i)));
        json_object_set_new(k, "name", json_string(item_name((ItemId)i)));
        json_object_set_new(k, "score", json_integer(c->points));
        json_object_set_new(k, "max_score", json_integer(c->max));
        json_object_set_new(k, "status", json_string(status_word(c->status)));
        json_object_set_new(k, "summary", jstr(c->summary));
        json_object_set_new(k, "feedback", jstr(c->detail.buf));
        json_array_append_new(items, k);
    }
    json_object_set_new(j, "items", items);
    if (g->policy)
        json_object_set_new(j, "policy", jstr(g->policy));
    json_object_set_new(j, "concurrency", jstr(g->concurrency));
    json_object_set_new(j, "inputs", jstr(g->runs_text));
    json_object_set_new(j, "sandbox", jstr(g->sandbox));
    json_object_set_new(j, "seconds", json_real(g->seconds));
    return j;
}

static const char *jget(const json_t *j, const char *key)
{
    const char *s = json_string_value(json_object_get(j, key));
    return s ? s : "";
}

static long long jint(const json_t *j, const char *key)
{
    return json_integer_value(json_object_get(j, key));
}

void grade_print_text(FILE *out, const json_t *j)
{
    fprintf(out, "racelab grade %s: %s\n", jget(j, "case"), jget(j, "submission"));
    if (*jget(j, "rejected"))
        fprintf(out, "  NOT GRADED: %s\n", jget(j, "rejected"));
    size_t i;
    json_t *c;
    json_array_foreach (json_object_get(j, "items"), i, c) {
        const char *st = jget(c, "status");
        if (!strcmp(st, "not-needed")) {
            fprintf(out, "  [  -  ] n/a     %s: %s\n", jget(c, "name"), jget(c, "summary"));
            continue;
        }
        fprintf(out, "  [%2lld/%2lld] %-7s %s: %s\n", jint(c, "score"), jint(c, "max_score"),
                !strcmp(st, "passed")   ? "ok"
                : !strcmp(st, "failed") ? "FAILED"
                                        : "skipped",
                jget(c, "name"), jget(c, "summary"));
        const char *fb = jget(c, "feedback");
        for (const char *p = fb; *p;) {
            const char *eol = strchr(p, '\n');
            size_t len = eol ? (size_t)(eol - p) : strlen(p);
            fprintf(out, "        %.*s\n", (int)len, p);
            p = eol ? eol + 1 : p + len;
        }
    }
    json_t *cheats = json_object_get(j, "cheats");
    if (json_array_size(cheats)) {
        fprintf(out, "  CHEATING: the score is 0 whatever the grade items say:\n");
        json_array_foreach (cheats, i, c)
            fprintf(out, "    - [%s] %s\n", jget(c, "id"), jget(c, "message"));
    }
    if (*jget(j, "policy"))
        fprintf(out, "  Tool limitation: %s (docs/grade.md).\n", jget(j, "policy"));
    if (*jget(j, "concurrency"))
        fprintf(out, "  Threads, measured from outside: %s.\n", jget(j, "concurrency"));
    fprintf(out, "Score: %lld/%lld (%s)\n", jint(j, "score"), jint(j, "max_score"), jget(j, "status"));
    const char *inputs = jget(j, "inputs");
    if (*inputs) {
        fprintf(out, "  inputs drawn by the grader:");
        for (const char *p = inputs; *p;) {
            const char *eol = strchr(p, '\n');
            size_t len = eol ? (size_t)(eol - p) : strlen(p);
            fprintf(out, "%s%.*s", p == inputs ? " " : "; ", (int)len, p);
            p = eol ? eol + 1 : p + len;
        }
        fputc('\n', out);
    }
    fprintf(out, "  sandbox: %s\n  graded in %.1f s\n", jget(j, "sandbox"),
            json_real_value(json_object_get(j, "seconds")));
}

json_t *grade_to_gradescope(const json_t *j)
{
    json_t *r = json_object();
    json_object_set_new(r, "score", json_integer(jint(j, "score")));
    json_object_set_new(r, "execution_time",
                        json_integer((json_int_t)(json_real_value(json_object_get(j, "seconds")) + 0.5)));
    json_object_set_new(r, "visibility", json_string("visible"));
    json_object_set_new(r, "stdout_visibility", json_string("hidden"));
    StrBuf out = STRBUF_INIT;
    sb_addf(&out, "racelab: %lld/%lld for %s (%s).", jint(j, "score"), jint(j, "max_score"), jget(j, "case"),
            jget(j, "status"));
    if (*jget(j, "rejected"))
        sb_addf(&out, " Not graded: %s.", jget(j, "rejected"));
    if (*jget(j, "policy"))
        sb_addf(&out, " Tool limitation: %s.", jget(j, "policy"));
    json_t *tests = json_array();
    size_t i;
    json_t *c;
    json_t *cheats = json_object_get(j, "cheats");
    if (json_array_size(cheats)) {
        StrBuf co = STRBUF_INIT;
        json_array_foreach (cheats, i, c)
            sb_addf(&co, "%s\n", jget(c, "message"));
        json_t *t = json_object();
        json_object_set_new(t, "name", json_string("no tampering with the checks (a cheat makes the score 0)"));
        json_object_set_new(t, "score", json_integer(0));
        json_object_set_new(t, "max_score", json_integer(0));
        json_object_set_new(t, "status", json_string("failed"));
        json_object_set_new(t, "output", json_string(co.buf));
        json_object_set_new(t, "visibility", json_string("visible"));
        json_array_append_new(tests, t);
        sb_free(&co);
        sb_add(&out, " Cheating was detected: the score is 0.");
    }
    json_array_foreach (json_object_get(j, "items"), i, c) {
        if (!strcmp(jget(c, "status"), "not-needed"))
            continue;
        json_t *t = json_object();
        json_object_set_new(t, "name", json_string(jget(c, "name")));
        json_object_set_new(t, "score", json_integer(jint(c, "score")));
        json_object_set_new(t, "max_score", json_integer(jint(c, "max_score")));
        json_object_set_new(t, "status", json_string(!strcmp(jget(c, "status"), "passed") ? "passed" : "failed"));
        char *o = xasprintf("%s\n%s", jget(c, "summary"), jget(c, "feedback"));
        json_object_set_new(t, "output", json_string(o));
        free(o);
        json_object_set_new(t, "visibility", json_string("visible"));
        json_array_append_new(tests, t);
    }
    json_object_set_new(r, "tests", tests);
    json_object_set_new(r, "output", json_string(out.buf));
    sb_free(&out);
    return r;
}
