#include "cheat.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* Why each kind of cheat is one: the second half of its message. */
static const struct {
    const char *id, *why;
} whys[] = {
    {"import", "it uses a function outside the case's allow-list (the threading API, atomics, memory, strings, "
               "printing, and what the handout itself uses); an instructor can widen the list in the case's "
               "header (allow:)"},
    {"inline-asm", "the race detectors and the scheduler do not see memory accesses or system calls made in "
                   "assembly"},
    {"attribute", "this attribute changes how the program is built, linked or started (constructors, sections, "
                  "aliases, weak symbols, no_sanitize ...): a fix does not need it"},
    {"pragma", "a pragma changes how the compiler builds the code: a fix does not need one"},
    {"builtin", "this compiler builtin reaches below C (the stack, frames, code addresses, the CPU): a fix does "
                "not need it"},
    {"redefinition", "it defines a function of the threading API, of the C library or of the tools' hooks: the "
                     "tools and the grader watch the real one"},
    {"tool-word", "it names the tools, their options or their reports, or /proc: a fix has no reason to"},
    {"section", "the object has a section a C fix does not make (code that runs before main, or hides)"},
    {"main-envp", "main reads the environment (envp), which is how a program could tell it is watched"},
    {"extra-process", "it started another process: the tools and the grader check the one they started"},
    {"report-forgery", "it wrote a file named like a tool's report where the tool writes its reports"},
    {"build-dependent", "the program is written to tell which tool builds it (a feature test of the sanitizers): "
                        "a fix behaves the same however it is built"},
    {"line-directive", "a fix has no reason to tell the compiler its lines come from somewhere else, and the "
                       "scan and the tools' line numbers rely on them"},
    {"valgrindrc", "Valgrind reads options from a .valgrindrc: a submission may not bring one"},
    {"no-threads", "without the threads there is no race to fix: the exercise is to keep them and make them safe"},
    {"hard-coded", "the grader draws new inputs for every run, so an answer written into the program is right "
                   "once by chance and wrong everywhere else"},
};

static const char *why_of(const char *id)
{
    for (size_t i = 0; i < ARRAY_LEN(whys); i++)
        if (!strcmp(whys[i].id, id))
            return whys[i].why;
    return "not allowed";
}

void cheat_add(CheatList *cl, const char *id, int line, const char *fmt, ...)
{
    for (size_t i = 0; i < cl->n; i++)
        if (!strcmp(cl->items[i].id, id) && cl->items[i].line == line)
            return;
    va_list ap;
    va_start(ap, fmt);
    char *what = xvasprintf(fmt, ap);
    va_end(ap);
    Cheat c = {xstrdup(id), line, xasprintf("%s: %s", what, why_of(id))};
    free(what);
    PUSH(cl->items, cl->n, cl->cap, c);
}

void cheats_take(CheatList *into, CheatList *from)
{
    for (size_t i = 0; i < from->n; i++) {
        Cheat *c = &from->items[i];
        bool listed = false;
        for (size_t k = 0; k < into->n && !listed; k++)
            listed = !strcmp(into->items[k].id, c->id) && into->items[k].line == c->line;
        if (listed) {
            free(c->id), free(c->message);
            continue;
        }
        PUSH(into->items, into->n, into->cap, *c);
    }
    free(from->items);
    memset(from, 0, sizeof *from);
}

bool cheats_has(const CheatList *cl, const char *id)
{
    for (size_t i = 0; i < cl->n; i++)
        if (!strcmp(cl->items[i].id, id))
            return true;
    return false;
}

void cheats_free(CheatList *cl)
{
    for (size_t i = 0; i < cl->n; i++) {
        free(cl->items[i].id);
        free(cl->items[i].message);
    }
    free(cl->items);
    memset(cl, 0, sizeof *cl);
}
