/* A case's allow-list: what a submission may use. What is not on it is a
 * cheat, named (an allow-list, not a block-list: a trick nobody thought
 * of is not on it either). It is made of a baseline every case allows
 * (the threading API, atomics, memory, strings, printing, conversions),
 * what the case's handout and its reference fix themselves import and
 * use (builtins, attributes, main's parameters), and the case header's
 * `allow:` line, where an instructor widens it. */
#ifndef RACELAB_ALLOW_H
#define RACELAB_ALLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "strvec.h"

typedef struct {
    StrVec names;      /* imported symbols, by name */
    StrVec prefixes;   /* and by prefix: pthread_, sem_, ... */
    StrVec builtins;   /* __builtin_ names */
    StrVec attributes; /* attribute names, without underscores around */
    int main_params;   /* the most parameters the handout's main takes */
} AllowList;

void allow_init(AllowList *a);
/* + everything an object file imports (the handout's, the fix's) */
void allow_object(AllowList *a, const char *object);
/* + the builtins and attributes a preprocessed unit uses, and its main's
 * parameters (the handout's own lines of it) */
void allow_tu(AllowList *a, const char *tu, size_t len, const char *file);
/* + "fopen fclose getenv str*": names, and prefixes ending in '*' */
void allow_words(AllowList *a, const char *words);
bool allow_import(const AllowList *a, const char *name);
bool allow_builtin(const AllowList *a, const char *name);
bool allow_attribute(const AllowList *a, const char *name);
void allow_free(AllowList *a);

#endif
