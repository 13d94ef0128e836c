/* report-dump TOOL REPORT [EXPECTED]: parses a recorded TSan log or
 * Valgrind XML with the harness's own parsers and prints it normalised
 * (no addresses, no absolute paths). With EXPECTED, compares and fails on
 * any difference, like Valgrind's .stderr.exp regression tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "fs.h"
#include "tsan_report.h"
#include "vg_report.h"

static char *dump(ToolId tool, const char *text, size_t len)
{
    Report r;
    report_init(&r);
    SourceSet none = {0};
    if (tool == TOOL_TSAN)
        tsan_parse(text, len, &r, &none);
    else
        vg_parse(text, len, tool, &r, &none);
    report_dedupe(&r, &none);
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    for (size_t i = 0; i < r.n; i++)
        finding_print(out, &r.items[i], &none, "");
    if (r.crash) {
        const Frame *f = stack_user_frame(&r.crash_stack, &none);
        char *where = frame_short(f);
        fprintf(out, "crash: %s at %s\n", r.crash, where);
        free(where);
    }
    if (r.problem)
        fprintf(out, "problem: %s\n", r.problem);
    if (!r.n && !r.crash && !r.problem)
        fprintf(out, "no findings\n");
    fclose(out);
    report_free(&r);
    return buf;
}

int main(int argc, char **argv)
{
    ToolId tool;
    if (argc < 3 || argc > 4 || !tool_from_name(argv[1], &tool) || tool == TOOL_NATIVE) {
        fprintf(stderr, "usage: report-dump tsan|helgrind|drd|memcheck REPORT [EXPECTED]\n");
        return 2;
    }
    size_t len;
    char *text = read_file(argv[2], 64u << 20, &len, NULL);
    if (!text) {
        perror(argv[2]);
        return 2;
    }
    char *got = dump(tool, text, len);
    free(text);
    int rc = 0;
    if (argc == 4) {
        char *want = read_file(argv[3], 1u << 20, NULL, NULL);
        if (!want) {
            perror(argv[3]);
            rc = 2;
        } else if (strcmp(want, got) != 0) {
            printf("MISMATCH against %s\n--- expected\n%s--- got\n%s", argv[3], want, got);
            rc = 1;
        } else {
            printf("ok: %s\n", argv[2]);
        }
        free(want);
    } else {
        fputs(got, stdout);
    }
    free(got);
    return rc;
}
