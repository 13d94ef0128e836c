/* The rubric and the points. A grade item pays only if the case's handout
 * fails it: compiling pays 10, and the other 90 are shared, by weight,
 * among the tools that see the case's bug (its header says which are
 * blind, and the lab proves it, cell by cell). So an unchanged handout
 * scores 10, and a cheat scores 0. */
#include <string.h>

#include "alloc.h"
#include "grade_internal.h"

#define COMPILE_POINTS 10
#define TOTAL_POINTS 100

/* How the 90 are shared: explore (every schedule right) weighs most, as
 * a wrong answer is what a user of the program would see. */
static const int weight[ITEM_COUNT] = {
    [ITEM_TSAN] = 20, [ITEM_HELGRIND] = 15, [ITEM_DRD] = 15, [ITEM_MEMCHECK] = 10, [ITEM_EXPLORE] = 30,
};

static ToolId item_tool(ItemId id)
{
    static const ToolId t[ITEM_COUNT] = {
        [ITEM_TSAN] = TOOL_TSAN,         [ITEM_HELGRIND] = TOOL_HELGRIND, [ITEM_DRD] = TOOL_DRD,
        [ITEM_MEMCHECK] = TOOL_MEMCHECK, [ITEM_EXPLORE] = TOOL_EXPLORE,
    };
    return t[id];
}

void rubric(const CaseSpec *spec, GradeItem items[ITEM_COUNT], char **rejected)
{
    items[ITEM_COMPILE].max = COMPILE_POINTS;
    int total = 0, last = -1;
    for (int i = ITEM_COMPILE + 1; i < ITEM_COUNT; i++) {
        const ToolExpect *te = &spec->tools[item_tool((ItemId)i)];
        if (!te->given || te->blind) {
            item_set(&items[i], IS_NA, "not graded: %s", te->blind && te->why ? te->why : "blind to this bug");
            continue;
        }
        total += weight[i];
        last = i;
    }
    int given = 0;
    for (int i = ITEM_COMPILE + 1; i < ITEM_COUNT && total; i++) {
        if (items[i].status == IS_NA)
            continue;
        items[i].max = i == last ? TOTAL_POINTS - COMPILE_POINTS - given
                                 : ((TOTAL_POINTS - COMPILE_POINTS) * weight[i] + total / 2) / total;
        given += items[i].max;
    }
    if (!total) /* its handout would fail nothing: no grade could tell a fix from it */
        *rejected = xasprintf("the case %s cannot be graded: every tool is blind to its bug", spec->name);
}

void score(GradeResult *g)
{
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
