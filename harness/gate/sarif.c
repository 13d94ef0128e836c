#include "sarif.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "gdb_stacks.h"
#include "json_out.h"
#include "strbuf.h"
#include "text.h"
#include "toolpaths.h"
#include "toolversion.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define FINGERPRINT_KEY "racelabFingerprint/v1"

static const struct {
    ToolId tool;
    const char *name, *uri;
} drivers[] = {
    {TOOL_TSAN, "ThreadSanitizer", "https://clang.llvm.org/docs/ThreadSanitizer.html"},
    {TOOL_HELGRIND, "Helgrind", "https://valgrind.org/docs/manual/hg-manual.html"},
    {TOOL_DRD, "DRD", "https://valgrind.org/docs/manual/drd-manual.html"},
    {TOOL_MEMCHECK, "Memcheck", "https://valgrind.org/docs/manual/mc-manual.html"},
    {TOOL_EXPLORE, "racelab explore", NULL}, /* part of racelab: explore_uri() */
};

/* explore is racelab's: its documentation where this racelab has it
 * (docs/explore.md in the source tree, README.md when installed). */
static char *explore_uri(void)
{
    char *path = xasprintf("%s/docs/explore.md", lab_root());
    if (!file_exists(path)) {
        free(path);
        path = xasprintf("%s/README.md", lab_root());
    }
    char *esc = percent_encode(path, "-._~/");
    char *uri = xasprintf("file://%s", esc);
    free(esc);
    free(path);
    return uri;
}

static json_t *message(const char *text)
{
    json_t *m = json_object();
    json_object_set_new(m, "text", json_text(text && *text ? text : "(no message)"));
    return m;
}

/* A SARIF location for a frame; NULL when the frame names no file. */
static json_t *location(const CheckRun *r, const Frame *f, int id, const char *text)
{
    if (!f || !f->file)
        return NULL;
    bool rel;
    char *uri = check_uri(r, f->file, &rel);
    json_t *art = json_object();
    json_object_set_new(art, "uri", json_text(uri));
    if (rel)
        json_object_set_new(art, "uriBaseId", json_string("%SRCROOT%"));
    free(uri);
    json_t *phys = json_object();
    json_object_set_new(phys, "artifactLocation", art);
    if (f->line > 0) {
        json_t *region = json_object();
        json_object_set_new(region, "startLine", json_integer(f->line));
        json_object_set_new(phys, "region", region);
    }
    json_t *loc = json_object();
    if (id >= 0)
        json_object_set_new(loc, "id", json_integer(id));
    json_object_set_new(loc, "physicalLocation", phys);
    if (f->fn) {
        json_t *logical = json_object();
        json_object_set_new(logical, "name", json_text(f->fn));
        json_object_set_new(logical, "kind", json_string("function"));
        json_t *ll = json_array();
        json_array_append_new(ll, logical);
        json_object_set_new(loc, "logicalLocations", ll);
    }
    if (text)
        json_object_set_new(loc, "message", message(text));
    return loc;
}

/* Appends v unless an equal value is there: the schema wants these
 * arrays' items unique. */
static void append_unique(json_t *arr, json_t *v)
{
    size_t i;
    json_t *it;
    json_array_foreach (arr, i, it) {
        if (json_equal(it, v)) {
            json_decref(v);
            return;
        }
    }
    json_array_append_new(arr, v);
}

static json_t *stacks_json(const CheckRun *r, const Finding *f)
{
    json_t *stacks = json_array();
    for (size_t s = 0; s < f->nstacks; s++) {
        const Stack *st = &f->stacks[s];
        json_t *frames = json_array();
        for (size_t k = 0; k < st->n; k++) {
            if (!frame_is_user(&st->frames[k], &r->ss))
                continue; /* the user's own frames, as in the text output */
            json_t *loc = location(r, &st->frames[k], -1, NULL);
            if (!loc)
                continue;
            json_t *fr = json_object();
            json_object_set_new(fr, "location", loc);
            json_array_append_new(frames, fr);
        }
        if (!json_array_size(frames)) {
            json_decref(frames);
            continue;
        }
        json_t *sj = json_object();
        json_object_set_new(sj, "message", message(st->title));
        json_object_set_new(sj, "frames", frames);
        append_unique(stacks, sj);
    }
    return stacks;
}

static json_t *result_json(const CheckRun *r, const ToolResult *tr, size_t i, size_t rule_index)
{
    const Finding *f = &tr->run.report.items[i];
    json_t *res = json_object();
    char *rule = xasprintf("%s/%s", tool_name(f->tool), f->kind);
    json_object_set_new(res, "ruleId", json_text(rule));
    json_object_set_new(res, "ruleIndex", json_integer((json_int_t)rule_index));
    /* a known tool limitation is shown, at the level of a note */
    bool counted = check_is_new(tr, i, r->opt->strict) || tr->baselined[i];
    json_object_set_new(res, "level", json_string(counted ? "error" : "note"));
    free(rule);

    json_t *locs = json_array(), *related = json_array();
    StrBuf also = STRBUF_INIT;
    int next_id = 1;
    for (LocIter it = LOC_ITER(f, &r->ss); loc_next(&it);) {
        const Stack *st = it.stack;
        const Frame *fr = it.frame;
        if (!json_array_size(locs)) {
            json_t *loc = location(r, fr, -1, NULL);
            if (loc)
                json_array_append_new(locs, loc);
            continue;
        }
        json_t *loc = location(r, fr, next_id, st->title);
        if (!loc)
            continue;
        char *where = frame_short(fr);
        sb_addf(&also, "%s[%s](%d)", also.len ? ", " : "", where, next_id);
        free(where);
        json_array_append_new(related, loc);
        next_id++;
    }
    StrBuf text = STRBUF_INIT;
    sb_addf(&text, "%s %s", tool_name(f->tool), f->kind);
    if (f->var)
        sb_addf(&text, " on '%s'", f->var);
    if (f->message)
        sb_addf(&text, ": %s", f->message);
    if (also.len)
        sb_addf(&text, ". Also at %s", also.buf);
    if (f->nthreads) {
        sb_add(&text, ". Threads:");
        for (size_t k = 0; k < f->nthreads; k++)
            sb_addf(&text, "%s %s", k ? "," : "", f->threads[k]);
    }
    sb_add(&text, ".");
    json_object_set_new(res, "message", message(text.buf));
    sb_free(&text);
    sb_free(&also);
    json_object_set_new(res, "locations", locs);
    if (json_array_size(related))
        json_object_set_new(res, "relatedLocations", related);
    else
        json_decref(related);
    json_t *stacks = stacks_json(r, f);
    if (json_array_size(stacks))
        json_object_set_new(res, "stacks", stacks);
    else
        json_decref(stacks);

    json_t *fps = json_object();
    json_object_set_new(fps, FINGERPRINT_KEY, json_text(tr->fingerprints[i]));
    json_object_set_new(res, "partialFingerprints", fps);
    json_object_set_new(res, "occurrenceCount", json_integer(f->count ? f->count : 1));
    if (r->opt->baseline) {
        json_object_set_new(res, "baselineState", json_string(tr->baselined[i] ? "unchanged" : "new"));
        if (tr->baselined[i]) {
            /* Accepted in the baseline file: viewers show it as suppressed. */
            json_t *sup = json_object();
            json_object_set_new(sup, "kind", json_string("external"));
            json_object_set_new(sup, "status", json_string("accepted"));
            char *why = xasprintf("in the racelab baseline %s", r->opt->baseline_path ? r->opt->baseline_path : "");
            json_object_set_new(sup, "justification", json_text(why));
            free(why);
            json_t *sups = json_array();
            json_array_append_new(sups, sup);
            json_object_set_new(res, "suppressions", sups);
        }
    }
    json_t *props = json_object();
    json_object_set_new(props, "variable", json_text(f->var));
    json_object_set_new(props, "fingerprintKey", json_text(tr->keys[i]));
    if (tr->limitation[i])
        json_object_set_new(props, "toolLimitation", json_text(tr->limitation[i]));
    json_t *threads = json_array();
    for (size_t k = 0; k < f->nthreads; k++)
        json_array_append_new(threads, json_text(f->threads[k]));
    json_object_set_new(props, "threads", threads);
    json_object_set_new(res, "properties", props);
    return res;
}

static size_t rule_index(json_t *rules, ToolId tool, const char *kind)
{
    char *id = xasprintf("%s/%s", tool_name(tool), kind);
    size_t i;
    json_t *it;
    json_array_foreach (rules, i, it) {
        if (!strcmp(json_string_value(json_object_get(it, "id")), id)) {
            free(id);
            return i;
        }
    }
    json_t *rule = json_object();
    json_object_set_new(rule, "id", json_text(id));
    json_object_set_new(rule, "name", json_text(kind));
    KindInfo ki = kind_info(tool, kind);
    /* GitHub code scanning wants a full description and help for every
     * rule: the kind in a sentence, and what to do about it */
    char *phrase = xasprintf("%s.", ki.phrase);
    phrase[0] = (char)toupper((unsigned char)phrase[0]);
    json_object_set_new(rule, "shortDescription", message(phrase));
    free(phrase);
    json_object_set_new(rule, "fullDescription", message(ki.description));
    char *help = xasprintf("%s %s", ki.description, category_help(ki.cat));
    json_object_set_new(rule, "help", message(help));
    free(help);
    json_t *rprops = json_object();
    json_object_set_new(rprops, "category", json_string(category_name(ki.cat)));
    json_object_set_new(rule, "properties", rprops);
    json_t *conf = json_object();
    json_object_set_new(conf, "level", json_string("error"));
    json_object_set_new(rule, "defaultConfiguration", conf);
    free(id);
    json_array_append_new(rules, rule);
    return json_array_size(rules) - 1;
}

static json_t *invocation(const CheckRun *r, const ToolResult *tr)
{
    json_t *inv = json_object();
    json_object_set_new(inv, "executionSuccessful", json_boolean(!tr->error));
    if (tr->ran && tr->run.proc.status == PROC_EXITED)
        json_object_set_new(inv, "exitCode", json_integer(tr->run.proc.code));
    if (tr->ran && tr->run.proc.status == PROC_SIGNALED)
        json_object_set_new(inv, "exitSignalNumber", json_integer(tr->run.proc.sig));
    if (tr->ran && tr->run.command)
        json_object_set_new(inv, "commandLine", json_text(tr->run.command));
    if (tr->ran && tr->run.tsan_options) {
        json_t *envv = json_object();
        json_object_set_new(envv, "TSAN_OPTIONS", json_text(tr->run.tsan_options));
        json_object_set_new(inv, "environmentVariables", envv);
    }
    const StrVec *passed = &r->opt->tool_opts[tr->tool];
    if (passed->n) {
        /* the user's pass-through options, on their own for a reader */
        json_t *props = json_object(), *list = json_array();
        for (size_t i = 0; i < passed->n; i++)
            json_array_append_new(list, json_text(passed->v[i]));
        json_object_set_new(props, "passThroughOptions", list);
        json_object_set_new(inv, "properties", props);
    }
    if (tr->error) {
        StrBuf sb = STRBUF_INIT;
        sb_addf(&sb, "%s could not decide: %s", tool_name(tr->tool), tr->error);
        if (tr->ran && tr->run.proc.stacks) {
            char *stuck = hang_summary(tr->run.proc.stacks);
            sb_addf(&sb, "\n%s\nstacks of the hung program (gdb):\n%s", stuck ? stuck : "", tr->run.proc.stacks);
            free(stuck);
        } else if (!tr->ran) {
            const BuildResult *b = &r->builds[build_kind_for(tr->tool)];
            if (b->log && *b->log)
                sb_addf(&sb, "\n%s", b->log);
        }
        json_t *note = json_object();
        json_object_set_new(note, "level", json_string("error"));
        json_object_set_new(note, "message", message(sb.buf));
        sb_free(&sb);
        json_t *notes = json_array();
        json_array_append_new(notes, note);
        json_object_set_new(inv, "toolExecutionNotifications", notes);
    }
    json_t *invs = json_array();
    json_array_append_new(invs, inv);
    return invs;
}

static json_t *run_json(const CheckRun *r, const ToolResult *tr)
{
    size_t d = 0;
    while (d < ARRAY_LEN(drivers) - 1 && drivers[d].tool != tr->tool)
        d++;
    json_t *rules = json_array(), *results = json_array();
    for (size_t i = 0; i < tr->run.report.n; i++) {
        const Finding *f = &tr->run.report.items[i];
        json_array_append_new(results, result_json(r, tr, i, rule_index(rules, f->tool, f->kind)));
    }
    json_t *driver = json_object();
    json_object_set_new(driver, "name", json_string(drivers[d].name));
    char *full = xasprintf("%s, run by racelab check", drivers[d].name);
    json_object_set_new(driver, "fullName", json_text(full));
    free(full);
    if (drivers[d].uri) {
        json_object_set_new(driver, "informationUri", json_string(drivers[d].uri));
    } else {
        char *uri = explore_uri();
        json_object_set_new(driver, "informationUri", json_text(uri));
        free(uri);
    }
    ToolVersion tv = tool_version(tr->tool);
    json_object_set_new(driver, "version", json_text(tv.version));
    json_object_set_new(driver, "semanticVersion", json_text(tv.semver));
    json_object_set_new(driver, "rules", rules);
    json_t *tool = json_object();
    json_object_set_new(tool, "driver", driver);

    json_t *run = json_object();
    json_object_set_new(run, "tool", tool);
    json_object_set_new(run, "invocations", invocation(r, tr));
    /* One category per program and tool: uploads of several programs do
     * not replace each other in code scanning. */
    char *cat = xasprintf("racelab/%s/%s/", tool_name(tr->tool), r->name);
    json_t *auto_id = json_object();
    json_object_set_new(auto_id, "id", json_text(cat));
    json_object_set_new(run, "automationDetails", auto_id);
    free(cat);
    char *root = check_root_uri(r);
    json_t *base = json_object(), *ids = json_object();
    json_object_set_new(base, "uri", json_text(root));
    json_object_set_new(ids, "%SRCROOT%", base);
    json_object_set_new(run, "originalUriBaseIds", ids);
    free(root);
    json_object_set_new(run, "results", results);
    json_object_set_new(run, "columnKind", json_string("utf16CodeUnits"));
    return run;
}

json_t *sarif_log(const CheckRun *r)
{
    json_t *log = json_object();
    json_object_set_new(log, "$schema", json_string(SARIF_SCHEMA));
    json_object_set_new(log, "version", json_string("2.1.0"));
    json_t *runs = json_array();
    for (size_t i = 0; i < r->nresults; i++)
        json_array_append_new(runs, run_json(r, &r->results[i]));
    json_object_set_new(log, "runs", runs);
    return log;
}

bool sarif_write(const CheckRun *r, const char *path, char **err)
{
    json_t *log = sarif_log(r);
    bool ok = json_write_file(log, path, err);
    json_decref(log);
    return ok;
}
