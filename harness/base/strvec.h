/* A vector of malloc'd strings, kept NULL-terminated so that `v` can be
 * handed to execve as it is; as git's strvec. Contract: `v` is never NULL
 * (STRVEC_INIT points it at a shared empty vector) and v[n] == NULL. The
 * one argv type of the harness: every command line is built with it. */
#ifndef RACELAB_STRVEC_H
#define RACELAB_STRVEC_H

#include <stddef.h>

typedef struct {
    char **v;
    size_t n, cap; /* cap 0: v is the shared empty vector, not ours */
} StrVec;

extern char *strvec_empty[1];
/* clang-format off */
#define STRVEC_INIT {strvec_empty, 0, 0}
/* clang-format on */

void strvec_init(StrVec *sv);
void strvec_push(StrVec *sv, const char *s);
void strvec_pushf(StrVec *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends each string of a NULL-terminated vector (NULL: nothing). */
void strvec_pushv(StrVec *sv, char *const *v);
/* Appends the words of text, split on blanks (no quoting). */
void strvec_push_words(StrVec *sv, const char *text);
/* Drops the strings from index `from` on. */
void strvec_truncate(StrVec *sv, size_t from);
void strvec_clear(StrVec *sv);
/* The vector, now the caller's (free it with strv_free); sv is empty. */
char **strvec_detach(StrVec *sv);
/* "a b 'c d'": the vector as a shell would read it, for messages. */
char *strvec_join_quoted(const StrVec *sv);

/* Frees a NULL-terminated vector of malloc'd strings (NULL: nothing). */
void strv_free(char **v);

#endif
