#include "junit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "fs.h"
#include "gdb_stacks.h"
#include "strbuf.h"
#include "utf8.h"

void xml_escape(StrBuf *sb, const char *s, bool attr)
{
    /* printable() leaves only characters XML 1.0 allows */
    char *clean = printable_str(s);
    for (const char *p = clean; *p; p++) {
        switch (*p) {
        case '&': sb_add(sb, "&amp;"); break;
        case '<': sb_add(sb, "&lt;"); break;
        case '>': sb_add(sb, "&gt;"); break;
        case '"': sb_add(sb, attr ? "&quot;" : "\""); break;
        case '\'': sb_add(sb, attr ? "&apos;" : "'"); break;
        case '\t': sb_add(sb, attr ? "&#9;" : "\t"); break;
        case '\n': sb_add(sb, attr ? "&#10;" : "\n"); break;
        default: sb_addch(sb, *p); break;
        }
    }
    free(clean);
}

/* The text blocks the terminal shows: the new findings (the body of a
 * <failure>), or the others, each with why it does not count. */
static char *findings_text(const CheckRun *r, const ToolResult *tr, bool want_new)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return xstrdup("");
    for (size_t i = 0; i < tr->run.report.n; i++) {
        if (check_is_new(tr, i, r->opt->strict) != want_new)
            continue;
        if (!want_new)
            fprintf(f, "%s\n", tr->limitation[i] ? tr->limitation[i] : "baselined (accepted)");
        finding_print(f, &tr->run.report.items[i], &r->ss, "");
        fputc('\n', f);
    }
    fclose(f);
    return buf ? buf : xstrdup("");
}

static void attr(StrBuf *sb, const char *name, const char *value)
{
    sb_addf(sb, " %s=\"", name);
    xml_escape(sb, value, true);
    sb_add(sb, "\"");
}

static void testcase(StrBuf *sb, const CheckRun *r, const ToolResult *tr)
{
    char *cls = xasprintf("racelab.check.%s", r->name);
    char *secs = xasprintf("%.3f", tr->seconds);
    sb_add(sb, "    <testcase");
    attr(sb, "classname", cls);
    attr(sb, "name", tool_name(tr->tool));
    attr(sb, "time", secs);
    sb_add(sb, ">\n");
    free(cls);
    free(secs);
    if (tr->error) {
        StrBuf body = STRBUF_INIT;
        sb_addf(&body, "%s\n", tr->error);
        if (tr->ran && tr->run.proc.stacks) {
            char *stuck = hang_summary(tr->run.proc.stacks);
            sb_addf(&body, "%s\nstacks of the hung program (gdb):\n%s", stuck ? stuck : "", tr->run.proc.stacks);
            free(stuck);
        }
        const BuildResult *b = &r->builds[build_kind_for(tr->tool)];
        if (!tr->ran && b->log)
            sb_add(&body, b->log);
        if (tr->ran && tr->run.run_dir)
            sb_addf(&body, "logs: %s\n", tr->run.run_dir);
        sb_add(sb, "      <error");
        attr(sb, "message", tr->error);
        attr(sb, "type", check_status_name(tr));
        sb_add(sb, ">");
        xml_escape(sb, body.buf, false);
        sb_add(sb, "</error>\n");
        sb_free(&body);
    } else if (tr->nnew) {
        const Finding *first = NULL;
        for (size_t i = 0; i < tr->run.report.n && !first; i++)
            if (check_is_new(tr, i, r->opt->strict))
                first = &tr->run.report.items[i];
        char *sum = finding_summary(first, &r->ss);
        char *msg =
            xasprintf("%zu new finding%s: %s%s", tr->nnew, tr->nnew == 1 ? "" : "s", sum, tr->nnew > 1 ? ", ..." : "");
        char *type = xasprintf("%s/%s", tool_name(first->tool), first->kind);
        char *body = findings_text(r, tr, true);
        sb_add(sb, "      <failure");
        attr(sb, "message", msg);
        attr(sb, "type", type);
        sb_add(sb, ">");
        xml_escape(sb, body, false);
        sb_add(sb, "</failure>\n");
        free(sum);
        free(msg);
        free(type);
        free(body);
    }
    if (tr->run.report.n > tr->nnew) {
        char *body = findings_text(r, tr, false);
        sb_add(sb, "      <system-out>findings that do not fail the gate:\n");
        xml_escape(sb, body, false);
        sb_add(sb, "</system-out>\n");
        free(body);
    }
    sb_add(sb, "    </testcase>\n");
}

char *junit_xml(const CheckRun *r)
{
    size_t failures = 0, errors = 0, skipped = 0;
    for (size_t i = 0; i < r->nresults; i++) {
        errors += r->results[i].error != NULL;
        failures += !r->results[i].error && r->results[i].nnew;
    }
    for (int t = 0; t < DETECTOR_COUNT; t++)
        skipped += (r->opt->skipped >> t) & 1;
    size_t tests = r->nresults + skipped;
    StrBuf sb = STRBUF_INIT;
    char *secs = xasprintf("%.3f", r->seconds);
    char *suite = xasprintf("racelab check %s", r->name);
    sb_add(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb_addf(&sb, "<testsuites name=\"racelab check\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%s\">\n",
            tests, failures, errors, secs);
    sb_add(&sb, "  <testsuite");
    attr(&sb, "name", suite);
    sb_addf(&sb, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%s\">\n", tests, failures,
            errors, skipped, secs);
    free(secs);
    free(suite);
    sb_addf(&sb, "    <properties>\n      <property name=\"exit_code\" value=\"%d\"/>\n", r->exit_code);
    sb_add(&sb, "      <property name=\"result\"");
    attr(&sb, "value", check_outcome_name(r->exit_code));
    sb_add(&sb, "/>\n    </properties>\n");
    for (size_t i = 0; i < r->nresults; i++)
        testcase(&sb, r, &r->results[i]);
    for (int t = 0; t < DETECTOR_COUNT; t++) {
        if (!((r->opt->skipped >> t) & 1))
            continue;
        char *cls = xasprintf("racelab.check.%s", r->name);
        sb_add(&sb, "    <testcase");
        attr(&sb, "classname", cls);
        attr(&sb, "name", tool_name((ToolId)t));
        sb_add(&sb, " time=\"0\">\n      <skipped message=\"does not apply to this binary\"/>\n    </testcase>\n");
        free(cls);
    }
    sb_add(&sb, "  </testsuite>\n</testsuites>\n");
    return sb_steal(&sb);
}

bool junit_write(const CheckRun *r, const char *path, char **err)
{
    char *xml = junit_xml(r);
    bool ok = write_file_atomic(path, xml, strlen(xml), err);
    free(xml);
    return ok;
}
