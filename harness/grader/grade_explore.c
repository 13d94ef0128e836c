/* The explore item: the submission's native runs under the schedule
 * controller, at inputs the grader draws and from seeds it draws, until a
 * schedule shows a wrong answer, a deadlock, a crash or a lock-order
 * cycle (every native run of a grade is an explore build: a program
 * cannot tell a watched run from an unwatched one). And, once the plain
 * run has been measured too (grade_threads.c), the hard-coded answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "explore.h"
#include "fs.h"
#include "grade_internal.h"
#include "judge.h"
#include "scan.h"
#include "text.h"
#include "utf8.h"

/* The explore phase at work: what it reads, and its result. */
typedef struct {
    GradeEnv *env;
    const BuildPhase *b;
    Explained *ex;
    ExplorePhase *out;
} Explorer;

typedef struct {
    const CaseSpec *spec;
    const Params *ps;
} Oracle;

static bool right_answer(RunOutcome *o, void *ctx, char **why)
{
    const Oracle *a = ctx;
    return grade_right_answer(a->spec, a->ps, o, why);
}

/* The threads a schedule ran, as the explore runtime counted them (its
 * report's `end STEPS SWITCHES THREADS MAX MAIN WORK MAIN_WORK`): used only to keep a honest
 * program whose threads were too short to sample from being called a
 * cheat, never to pass one (a program can only declare threads it
 * does not have by writing into the runtime's memory, and it can name no
 * symbol of it: the allow-list). */
static void explore_threads(const RunOutcome *o, int *threads, int *at_once, unsigned long *work,
                            unsigned long *main_work)
{
    char *path = o->run_dir ? path_join(o->run_dir, "explore.log") : NULL;
    char *text = path ? read_file(path, 16u << 20, NULL, NULL) : NULL;
    const char *end = text ? strstr(text, "\nend ") : NULL;
    unsigned long steps, switches, main_steps;
    if (!end || sscanf(end + 5, "%lu %lu %d %d %lu %lu %lu", &steps, &switches, threads, at_once, &main_steps, work,
                       main_work) != 7)
        *threads = *at_once = 0, *work = *main_work = 0;
    free(text), free(path);
}

static void check_dir(const RunOutcome *o, bool failing, void *ctx)
{
    (void)failing;
    ExplorePhase *out = ((Explorer *)ctx)->out;
    grade_check_run_dir(o, &out->cheats);
    int t = 0, at_once = 0;
    unsigned long work = 0, main_work = 0;
    explore_threads(o, &t, &at_once, &work, &main_work);
    /* main made nine in ten of the program's memory accesses (1000 at
     * least), a spin's reads not counted: a main that spins on a flag
     * while its threads work rereads one address, and that is waiting,
     * not work (the runtime counts a reread as work only when no other
     * thread is alive) */
    if (main_work >= 1000 && work - main_work < main_work / 10 && !out->main_did_work)
        out->main_did_work = xasprintf("under explore (seed %llu), main made %lu of the program's %lu memory "
                                       "accesses (a spin's reads not counted), its other threads %lu",
                                       o->seed, main_work, work, work - main_work);
    if (t > out->threads)
        out->threads = t;
    if (at_once > out->at_once)
        out->at_once = at_once;
}

/* The lines of the student's file those steps name ("at NAME.c:12"),
 * each once, with their text: where to look. */
static void trace_lines(const GradeEnv *env, const char *trace, StrBuf *out)
{
    char *at = xasprintf("%s:", path_base(env->src));
    int lines[8];
    size_t n = 0;
    for (const char *p = strstr(trace, at); p && n < ARRAY_LEN(lines); p = strstr(p + 1, at)) {
        if (p > trace && p[-1] != ' ')
            continue;
        int l = atoi(p + strlen(at));
        bool seen = l <= 0;
        for (size_t k = 0; k < n && !seen; k++)
            seen = lines[k] == l;
        if (!seen)
            lines[n++] = l;
    }
    if (n)
        sb_add(out, "  The lines of your file in those steps:\n");
    for (size_t k = 0; k < n; k++) {
        char *text = source_line(env, lines[k]);
        sb_addf(out, "      line %d | %s\n", lines[k], text);
        free(text);
    }
    free(at);
}

/* What the student reads about the schedule that failed. */
static void describe_failure(Explorer *X, const ExploreResult *er, const Params *ps, const char *pt)
{
    const GradeEnv *env = X->env;
    GradeItem *c = &X->out->item;
    const RunOutcome *o = &er->run;
    if (c->status == IS_FAILED)
        return; /* the first schedule that failed is told; others add nothing */
    if (o->status != RUN_OK) {
        item_set(c, IS_FAILED, "a run under explore did not finish properly (inputs %s)", pt);
        sb_addf(&c->detail, "  seed %llu, inputs %s:\n", o->seed, pt);
        describe_run_error(env, o, &c->detail);
        if (o->status == RUN_TIMEOUT || o->status == RUN_DEADLOCK)
            X->out->stuck = true;
        return;
    }
    const Finding *f = &o->report.items[0];
    item_set(c, IS_FAILED, "schedule %d (seed %llu) with inputs %s: %s", er->runs, o->seed, pt,
             kind_info(TOOL_EXPLORE, f->kind).phrase);
    describe_report(env, &o->report, &c->detail, item_name(ITEM_EXPLORE), NULL, X->ex);
    if (f->detail && *f->detail) {
        char *t = student_text(env, f->detail);
        sb_add(&c->detail, "  The schedule that shows it, last steps:\n");
        const char *pos = t, *line;
        size_t len;
        while (next_line(&pos, &line, &len))
            sb_addf(&c->detail, "      %.*s\n", (int)len, line);
        trace_lines(env, t, &c->detail);
        free(t);
    }
    StrBuf args = STRBUF_INIT;
    for (size_t i = 0; i < ps->n; i++)
        sb_addf(&args, " %lld", ps->items[i].value);
    char *name = printable_str(env->sub->display);
    sb_addf(&c->detail, "  To see it again: racelab check %s --tools explore --seed %llu --%s\n", name, o->seed,
            args.buf);
    free(name);
    sb_free(&args);
}

/* Schedules at one set of inputs; true if every one was right. */
static bool explore_round(Explorer *X, int round, const Params *ps, const Params *handout)
{
    GradeEnv *env = X->env;
    ExplorePhase *out = X->out;
    char *pt = params_text(ps);
    unsigned long long first = grade_random(env) % 1000000000ULL + 1;
    int seeds = round == 0 ? EXPLORE_SEEDS : EXPLORE_SEEDS_DRAWN;
    sb_addf(&out->runs, "explore %d: %s, seeds %llu..%llu%s\n", round + 1, pt, first, first + (unsigned)seeds - 1,
            round == 0 ? " (the handout's inputs)" : "");
    StrVec args = STRVEC_INIT;
    spec_args(ps, &args);
    Oracle a = {env->o->spec, ps};
    RunOptions ro = grade_run_options(env, EXPLORE_TIMEOUT);
    ExploreLoop l = {.first_seed = first,
                     .seeds = seeds,
                     .oracle = right_answer,
                     .oracle_ctx = &a,
                     .each = check_dir,
                     .each_ctx = X};
    ExploreResult er;
    explore_loop(X->b->builds[BUILD_EXPLORE].exe, &args, &ro, &l, &env->ss, &er);
    report_take_evidence(&out->evidence, &er.run.report);
    bool ok = !er.undecided && !er.failing;
    if (!ok)
        describe_failure(X, &er, ps, pt);
    /* the answer it printed, against the handout's, for a hard-coded one */
    const CaseSpec *s = env->o->spec;
    char *h = NULL, *mine = expected_line(s, ps), *theirs = expected_line(s, handout);
    if (round == 0)
        out->handout_right = ok;
    else if (er.run.proc.out && strcmp(mine, theirs) != 0 && oracle_check(s, handout, er.run.proc.out, &h) &&
             !out->repeats_handout) {
        out->repeats_handout = true;
        out->repeat_where = xasprintf("with %s it still printed '%s'", pt, theirs);
    }
    free(h), free(mine), free(theirs);
    explore_result_free(&er);
    grade_run_options_free(&ro);
    strvec_clear(&args);
    free(pt);
    return ok;
}

/* Expected answers written in the source: a cheat only when the program
 * printed the handout's answer for other inputs too. */
void explore_hard_coded(const GradeEnv *env, const ExplorePhase *e, CheatList *cheats, StrBuf *note)
{
    if (!e->handout_right || !e->repeats_handout)
        return;
    const Params *handout = &env->o->spec->params;
    char *line = expected_line(env->o->spec, handout);
    int at = 0;
    char digits[64] = "";
    for (const char *p = line; *p && !at; p++) {
        size_t n = strspn(p, "0123456789");
        if (n >= 2 && n < sizeof digits) { /* "0" and "1" are everywhere */
            memcpy(digits, p, n);
            digits[n] = '\0';
            at = source_find_number(env->sub->text, env->sub->len, digits);
        }
        p += n ? n - 1 : 0;
    }
    char *pt = params_text(handout);
    if (at)
        cheat_add(cheats, "hard-coded", at, "line %d writes %s, the answer for the handout's inputs (%s) only; %s", at,
                  digits, pt, e->repeat_where);
    else
        sb_addf(note,
                "  It prints '%s' (the handout's answer) whatever the input: the answer must be computed by the "
                "threads.\n",
                line);
    free(pt);
    free(line);
}

void explore_phase(GradeEnv *env, const BuildPhase *b, Explained *ex, ExplorePhase *out)
{
    memset(out, 0, sizeof *out);
    out->item = grade_item_new();
    sb_init(&out->runs);
    Explorer X = {.env = env, .b = b, .ex = ex, .out = out};
    const CaseSpec *s = env->o->spec;
    Params handout = params_copy(&s->params);
    char *h_line = expected_line(s, &handout);
    bool ok = true;
    for (int round = 0; round < EXPLORE_ROUNDS && grade_left(env) > EXPLORE_TIMEOUT; round++) {
        Params ps = round == 0 ? params_copy(&handout) : grade_draw(env, true);
        for (int k = 0; round > 0 && k < 8; k++) { /* inputs whose answer differs from the handout's */
            char *l = expected_line(s, &ps);
            bool same = !strcmp(l, h_line);
            free(l);
            if (!same)
                break;
            params_free(&ps);
            ps = grade_draw(env, true);
        }
        ok = explore_round(&X, round, &ps, &handout) && ok;
        params_free(&ps);
        /* The bug is shown: no more rounds. (A hard-coded answer is right
         * at the handout's inputs and wrong at others: after a first round
         * that was right, the round that fails is the evidence.) */
        if (!ok)
            break;
    }
    if (ok && out->item.status != IS_FAILED) {
        out->clean = true;
        item_set(&out->item, IS_PASSED,
                 "right in every schedule tried (%d at the handout's inputs, %d at each of %d drawn inputs)",
                 EXPLORE_SEEDS, EXPLORE_SEEDS_DRAWN, EXPLORE_ROUNDS - 1);
    }
    free(h_line);
    params_free(&handout);
}

void explore_phase_free(ExplorePhase *e)
{
    grade_item_free(&e->item);
    cheats_free(&e->cheats);
    sb_free(&e->runs);
    free(e->main_did_work), free(e->repeat_where);
    report_free(&e->evidence);
}
