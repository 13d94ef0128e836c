#include "json_report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "fs.h"
#include "gdb_stacks.h"
#include "json_out.h"

static json_t *str_array(const StrVec *sv)
{
    json_t *a = json_array();
    for (size_t i = 0; i < sv->n; i++)
        json_array_append_new(a, json_text(sv->v[i]));
    return a;
}

static json_t *frame_json(const CheckRun *r, const Frame *f)
{
    json_t *j = json_object();
    json_object_set_new(j, "function", json_text(f ? f->fn : NULL));
    json_object_set_new(j, "file", json_text(f ? f->file : NULL));
    char *uri = NULL;
    bool rel = false;
    if (f && f->file)
        uri = check_uri(r, f->file, &rel);
    json_object_set_new(j, "uri", json_text(uri));
    json_object_set_new(j, "line", f && f->line > 0 ? json_integer(f->line) : json_null());
    free(uri);
    return j;
}

static json_t *finding_json(const CheckRun *r, const ToolResult *tr, size_t i)
{
    const Finding *f = &tr->run.report.items[i];
    json_t *j = json_object();
    char *rule = xasprintf("%s/%s", tool_name(f->tool), f->kind);
    char *sum = finding_summary(f, &r->ss);
    json_object_set_new(j, "rule_id", json_text(rule));
    json_object_set_new(j, "tool", json_text(tool_name(f->tool)));
    json_object_set_new(j, "kind", json_text(f->kind));
    json_object_set_new(j, "variable", json_text(f->var));
    json_object_set_new(j, "message", json_text(f->message));
    json_object_set_new(j, "summary", json_text(sum));
    json_object_set_new(j, "count", json_integer(f->count));
    json_object_set_new(j, "new", json_boolean(check_is_new(tr, i, r->opt->strict)));
    json_object_set_new(j, "limitation", json_text(tr->limitation[i]));
    json_object_set_new(j, "fingerprint", json_text(tr->fingerprints[i]));
    json_object_set_new(j, "fingerprint_key", json_text(tr->keys[i]));
    free(rule);
    free(sum);

    json_t *locs = json_array(), *stacks = json_array();
    for (LocIter it = LOC_ITER(f, &r->ss); loc_next(&it);) {
        json_t *loc = frame_json(r, it.frame);
        json_object_set_new(loc, "title", json_text(it.stack->title));
        json_array_append_new(locs, loc);
    }
    for (size_t s = 0; s < f->nstacks; s++) {
        const Stack *st = &f->stacks[s];
        json_t *frames = json_array();
        for (size_t k = 0; k < st->n; k++) {
            json_t *fr = frame_json(r, &st->frames[k]);
            json_object_set_new(fr, "user", json_boolean(frame_is_user(&st->frames[k], &r->ss)));
            json_array_append_new(frames, fr);
        }
        json_t *sj = json_object();
        json_object_set_new(sj, "title", json_text(st->title));
        json_object_set_new(sj, "location", json_boolean(st->is_location));
        json_object_set_new(sj, "frames", frames);
        json_array_append_new(stacks, sj);
    }
    json_object_set_new(j, "locations", locs);
    json_object_set_new(j, "stacks", stacks);
    json_t *threads = json_array();
    for (size_t k = 0; k < f->nthreads; k++)
        json_array_append_new(threads, json_text(f->threads[k]));
    json_object_set_new(j, "threads", threads);
    return j;
}

/* explore's bounded search, when it ran: what it proved (systematic.h). */
static json_t *search_json(const ToolResult *tr)
{
    if (!tr->systematic_ran)
        return json_null();
    static const char *const names[] = {"found", "verified", "every-schedule", "not-complete", "undecided"};
    const SystematicResult *s = &tr->sys;
    json_t *j = json_object();
    json_object_set_new(j, "verdict", json_text(names[s->verdict]));
    json_object_set_new(j, "bound", json_integer(s->bound));
    json_object_set_new(j, "schedules", json_integer(s->runs));
    json_object_set_new(j, "schedule", json_text(s->schedule));
    json_object_set_new(j, "text", json_text(tr->sys_text));
    return j;
}

static json_t *tool_json(const CheckRun *r, const ToolResult *tr)
{
    const RunOutcome *o = &tr->run;
    json_t *j = json_object();
    json_object_set_new(j, "tool", json_text(tool_name(tr->tool)));
    json_object_set_new(j, "status", json_text(check_status_name(tr)));
    json_object_set_new(j, "decided", json_boolean(!tr->error));
    json_object_set_new(j, "error", json_text(tr->error));
    json_object_set_new(j, "program_ended", json_text(tr->run.ended));
    json_object_set_new(j, "seconds", json_real(tr->seconds));
    bool exited = tr->ran && o->proc.status == PROC_EXITED;
    bool signaled = tr->ran && o->proc.status == PROC_SIGNALED;
    json_object_set_new(j, "exit_code", exited ? json_integer(o->proc.code) : json_null());
    json_object_set_new(j, "signal", signaled ? json_integer(o->proc.sig) : json_null());
    char *stuck = o->proc.stacks ? hang_summary(o->proc.stacks) : NULL;
    json_object_set_new(j, "hang_summary", json_text(stuck));
    json_object_set_new(j, "hang_stacks", json_text(o->proc.stacks));
    free(stuck);
    json_object_set_new(j, "logs", json_text(o->run_dir));
    json_object_set_new(j, "command", json_text(tr->ran ? o->command : NULL));
    json_object_set_new(j, "tsan_options", json_text(tr->ran ? o->tsan_options : NULL));
    json_object_set_new(j, "options", str_array(&r->opt->tool_opts[tr->tool]));
    json_object_set_new(j, "new", json_integer((json_int_t)tr->nnew));
    json_object_set_new(j, "bounded_search", search_json(tr));
    json_object_set_new(j, "evidence_incomplete", json_text(o->report.incomplete));
    json_t *fs = json_array();
    for (size_t i = 0; i < o->report.n; i++)
        json_array_append_new(fs, finding_json(r, tr, i));
    json_object_set_new(j, "findings", fs);
    return j;
}

json_t *json_report(const CheckRun *r)
{
    const CheckOptions *o = r->opt;
    json_t *root = json_object();
    json_object_set_new(root, "racelab_check", json_integer(JSON_REPORT_VERSION));
    json_object_set_new(root, "result", json_text(check_outcome_name(r->exit_code)));
    json_object_set_new(root, "exit_code", json_integer(r->exit_code));

    json_t *prog = json_object();
    json_object_set_new(prog, "name", json_text(r->name));
    json_object_set_new(prog, "sources", str_array(&o->sources));
    json_object_set_new(prog, "exe", json_text(o->exe));
    json_object_set_new(prog, "args", str_array(&o->args));
    json_object_set_new(root, "program", prog);
    json_object_set_new(root, "source_root", json_text(o->source_root));
    json_object_set_new(root, "baseline", json_text(o->baseline_path));
    json_object_set_new(root, "strict", json_boolean(o->strict));

    json_t *counts = json_object();
    json_object_set_new(counts, "findings", json_integer((json_int_t)r->nfindings));
    json_object_set_new(counts, "new", json_integer((json_int_t)r->nnew));
    json_object_set_new(counts, "baselined", json_integer((json_int_t)r->nbaselined));
    json_object_set_new(counts, "limitations", json_integer((json_int_t)r->nlimits));
    json_object_set_new(counts, "undecided_tools", json_integer((json_int_t)r->nundecided));
    json_object_set_new(root, "counts", counts);
    json_object_set_new(root, "seconds", json_real(r->seconds));

    json_t *builds = json_array();
    for (int k = 0; k < BUILD_KIND_COUNT; k++) {
        if (!r->tried[k])
            continue;
        json_t *b = json_object();
        json_object_set_new(b, "kind", json_text(build_kind_name((BuildKind)k)));
        json_object_set_new(b, "ok", json_boolean(r->builds[k].ok));
        json_object_set_new(b, "command", json_text(r->builds[k].command));
        json_object_set_new(b, "log", json_text(r->builds[k].log));
        json_array_append_new(builds, b);
    }
    json_object_set_new(root, "builds", builds);

    json_t *tools = json_array();
    for (size_t i = 0; i < r->nresults; i++)
        json_array_append_new(tools, tool_json(r, &r->results[i]));
    json_object_set_new(root, "tools", tools);
    json_t *skipped = json_array();
    for (int t = 0; t < DETECTOR_COUNT; t++)
        if (o->skipped & (1u << t))
            json_array_append_new(skipped, json_text(tool_name((ToolId)t)));
    json_object_set_new(root, "skipped_tools", skipped);
    return root;
}

bool json_report_write(const CheckRun *r, const char *path, char **err)
{
    json_t *root = json_report(r);
    bool ok = json_write_file(root, path, err);
    json_decref(root);
    return ok;
}
