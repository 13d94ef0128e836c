/* The score: the answer check's words, and the points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedback.h"
#include "grade_internal.h"
#include "utf8.h"

/* ---- scoring ---- */

void finish_answer(Grader *G)
{
    GradeItem *a = item(G, ITEM_ANSWER);
    if (!G->answer_bad) {
        set_item(G, ITEM_ANSWER, IS_PASSED, "right in all %d runs", G->answer_runs);
        return;
    }
    set_item(G, ITEM_ANSWER, IS_FAILED, "wrong in %d of %d runs", G->answer_bad, G->answer_runs);
    char *w = printable(G->answer_why, strlen(G->answer_why));
    StrBuf head = STRBUF_INIT;
    sb_addf(&head, "  %s\n", w);
    if (G->wrong_value)
        sb_addf(&head, "  Hint: %s\n", feedback_wrong_answer_hint(G->o->spec->klass));
    sb_add(&head, a->detail.buf ? a->detail.buf : "");
    sb_free(&a->detail);
    a->detail = head;
    free(w);
}

void score(GradeResult *g)
{
    GradeItem *m = &g->items[ITEM_MEMCHECK], *t = &g->items[ITEM_THREADS], *a = &g->items[ITEM_ANSWER];
    /* points of a check the case does not need go to the answer */
    if (m->status == IS_NA)
        a->max += m->max, m->max = 0;
    if (t->status == IS_NA)
        a->max += t->max, t->max = 0;
    g->score = g->max = 0;
    for (int i = 0; i < ITEM_COUNT; i++) {
        GradeItem *c = &g->items[i];
        c->points = c->status == IS_PASSED ? c->max : 0;
        g->score += c->points;
        g->max += c->max;
    }
    if (g->cheats.n || g->rejected)
        g->score = 0;
}
