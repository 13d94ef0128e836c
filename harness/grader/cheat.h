/* Cheats: what a submission does to get a clean grade without fixing
 * its bug. Each kind has an id, the line where it is (0: none), and a
 * message that says what was found and why it is not allowed. A cheat
 * makes the score 0. */
#ifndef RACELAB_CHEAT_H
#define RACELAB_CHEAT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *id;      /* "import", "inline-asm", "extra-process", ... */
    int line;      /* in the submission; 0: not a source line */
    char *message; /* what was found, and why it is not allowed */
} Cheat;

typedef struct {
    Cheat *items;
    size_t n, cap;
} CheatList;

/* Adds a cheat unless one with this id and line is listed already; the
 * reason that goes with the id is appended to the message. */
void cheat_add(CheatList *cl, const char *id, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Moves the cheats of from to the end of into, but those whose id and
 * line into lists already (as cheat_add would have dropped them); from
 * is left empty. */
void cheats_take(CheatList *into, CheatList *from);
bool cheats_has(const CheatList *cl, const char *id);
void cheats_free(CheatList *cl);

#endif
