/* Native runs: the answer with the handout's inputs and with drawn ones,
 * the threads the program creates, whether it finishes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "grade_internal.h"
#include "scan.h"
#include "text.h"

/* ---- native runs: the answer, the threads, the time ---- */

static int count_tags(const char *err, const char *tag)
{
    int n = 0;
    for (const char *p = err ? strstr(err, tag) : NULL; p; p = strstr(p + 1, tag))
        n++;
    return n;
}

typedef struct {
    bool handout_right;   /* right with the handout's values */
    bool repeats_handout; /* printed the handout's answer for other inputs */
    char *repeat_where;
    int zero_threads, counted;
    StrBuf counts; /* "2, 8, 5" */
    bool thread_fail, uncountable, trigger_hung;
} NativeSeen;

static void native_run(Grader *G, int i, const Params *ps, const Params *handout, NativeSeen *ns)
{
    const CaseSpec *s = G->o->spec;
    char *pt = params_text(ps);
    char *where = xasprintf("native run %d (%s)", i + 1, pt);
    sb_addf(&G->runs_text, "native %d: %s%s\n", i + 1, pt, i == 0 ? " (the handout's values)" : "");
    LabResult r;
    run_job(G, TOOL_NATIVE, ps, &r);
    if (i == 0) {
        if (r.build.ok)
            G->native_exe = xstrdup(r.build.exe);
        judge_build(G, &r.build, "gcc");
    }
    if (!r.build.ok || !r.nruns) {
        lab_result_free(&r);
        free(pt), free(where);
        return;
    }
    const RunOutcome *o = &r.runs[0];
    if (o->status == RUN_TIMEOUT || o->status == RUN_DEADLOCK) {
        G->hung = G->native_stuck = true;
        sb_addf(&item(G, ITEM_TIME)->detail, "  %s: %s\n", where, o->error);
    }
    G->native_stuck = G->native_stuck || o->proc.status == PROC_FLOOD; /* the tools would flood too */
    G->answer_runs++;
    if (o->status != RUN_OK) {
        answer_bad(G, where, r.note ? r.note : o->error, false);
    } else if (r.verdict == V_ERROR || r.verdict == V_TIMEOUT || r.verdict == V_DEADLOCK) {
        /* the hang trigger of a deadlock case: one hang is enough evidence */
        answer_bad(G, where, r.note ? r.note : "the run failed", false);
        ns->trigger_hung = r.verdict != V_ERROR;
        G->hung = G->hung || ns->trigger_hung;
        if (ns->trigger_hung)
            sb_addf(&item(G, ITEM_TIME)->detail, "  %s: %s\n", where, r.note ? r.note : "hung");
    } else if (o->wrong_answer) {
        answer_bad(G, where, o->wrong_answer, true);
        char *h = NULL;
        if (i > 0 && oracle_check(s, handout, o->proc.out, &h) && !ns->repeats_handout) {
            char *mine = expected_line(s, ps), *theirs = expected_line(s, handout);
            if (strcmp(mine, theirs) != 0) {
                ns->repeats_handout = true;
                ns->repeat_where = xasprintf("with %s it still printed '%s'", pt, theirs);
            }
            free(mine), free(theirs);
        }
        free(h);
    } else if (i == 0) {
        ns->handout_right = true;
    }
    /* threads, counted by the shim, never taken from the program's output */
    if (o->status == RUN_OK && s->creates) {
        long long want = 0;
        char *err = NULL;
        spec_creates(s, ps, &want, &err);
        free(err);
        int got = count_tags(o->proc.err, G->tag);
        sb_addf(&ns->counts, "%s%d", ns->counts.len ? ", " : "", got);
        if (o->proc.err_cut && got < want) {
            ns->uncountable = true;
        } else if (got != want) {
            if (!ns->thread_fail)
                sb_addf(&item(G, ITEM_THREADS)->detail,
                        "  %s: created %d thread%s; the case calls for %lld (creates: %s)\n", where, got,
                        got == 1 ? "" : "s", want, s->creates);
            ns->thread_fail = true;
        }
        ns->zero_threads += got == 0 && want > 0;
        ns->counted++;
    }
    lab_result_free(&r);
    free(pt), free(where);
}

/* Expected answers that are written in the source: a cheat only when the
 * program printed the handout's answer for other inputs too. */
static void check_hard_coded(Grader *G, const Params *handout, NativeSeen *ns)
{
    if (!ns->handout_right || !ns->repeats_handout)
        return;
    char *line = expected_line(G->o->spec, handout);
    int at = 0;
    char digits[64];
    for (const char *p = line; *p && !at; p++) {
        size_t n = strspn(p, "0123456789");
        if (n >= 2 && n < sizeof digits) { /* "0" and "1" are everywhere */
            memcpy(digits, p, n);
            digits[n] = '\0';
            at = source_find_number(G->sub->text, G->sub->len, digits);
        }
        p += n ? n - 1 : 0;
    }
    char *pt = params_text(handout);
    if (at)
        cheat_add(&G->g->cheats, "hard-coded", at,
                  "line %d writes %s, the answer for the handout's inputs (%s) only; %s", at, digits, pt,
                  ns->repeat_where);
    else
        sb_addf(&item(G, ITEM_ANSWER)->detail,
                "  It prints '%s' (the handout's answer) whatever the input: the "
                "answer must be computed by the threads.\n",
                line);
    free(pt);
    free(line);
}

void native_phase(Grader *G)
{
    const CaseSpec *s = G->o->spec;
    Params handout = params_copy(&s->params);
    char *h_line = expected_line(s, &handout);
    NativeSeen ns = {.counts = STRBUF_INIT};
    for (int i = 0; i <= NATIVE_DRAWN && !G->native_stuck; i++) {
        Params ps = i == 0 ? params_copy(&handout) : grade_draw(G, false);
        for (int k = 0; i > 0 && k < 8; k++) { /* inputs whose answer differs from the handout's */
            char *l = expected_line(s, &ps);
            bool same = !strcmp(l, h_line);
            free(l);
            if (!same)
                break;
            params_free(&ps);
            ps = grade_draw(G, false);
        }
        native_run(G, i, &ps, &handout, &ns);
        params_free(&ps);
        if (item(G, ITEM_COMPILE)->status == IS_FAILED || ns.trigger_hung)
            break;
    }
    if (item(G, ITEM_COMPILE)->status != IS_FAILED) {
        check_hard_coded(G, &handout, &ns);
        if (s->creates && ns.counted && ns.zero_threads == ns.counted)
            cheat_add(&G->g->cheats, "no-threads", 0,
                      "the program created no thread in %d runs (the grader "
                      "counts pthread_create calls; the case's creates: %s)",
                      ns.counted, s->creates);
        if (s->creates && !ns.counted)
            set_item(G, ITEM_THREADS, IS_FAILED, "could not count the threads: no run finished");
        else if (s->creates && ns.thread_fail)
            set_item(G, ITEM_THREADS, IS_FAILED,
                     "created %s threads in the %d runs, not what the case calls "
                     "for (%s)",
                     ns.counts.buf, ns.counted, s->creates);
        else if (s->creates && ns.uncountable)
            set_item(G, ITEM_THREADS, IS_FAILED, "could not count the threads: more than 1 MiB on stderr");
        else if (s->creates)
            set_item(G, ITEM_THREADS, IS_PASSED,
                     "created %s threads in the %d runs, as the case calls for (%s); "
                     "counted by the grader",
                     ns.counts.buf, ns.counted, s->creates);
    }
    sb_free(&ns.counts);
    free(ns.repeat_where);
    free(h_line);
    params_free(&handout);
}
