/* Small string helpers: prefixes, trimming, walking lines, hashing. */
#ifndef RACELAB_TEXT_H
#define RACELAB_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool starts_with(const char *s, const char *prefix);
bool ends_with(const char *s, const char *suffix);
/* Trims blanks and line ends at both ends, in place; returns the start. */
char *trim(char *s);

/* Walks the lines of text: *line and *len get the next line (without its
 * '\n'); false at the end. Start with *pos = text. */
bool next_line(const char **pos, const char **line, size_t *len);
/* Line n (counted from 1) of the len bytes of text: *line and *line_len
 * (without its '\n'); false when text has fewer lines. The one finder of
 * a source line (a finding's line, a submission's). */
bool text_line(const char *text, size_t len, int n, const char **line, size_t *line_len);

/* A malloc'd copy of s with every byte that is not an ASCII letter, a
 * digit or one of `keep` written %XX (RFC 3986 percent-encoding). */
char *percent_encode(const char *s, const char *keep);

/* qsort comparator for an array of char *. */
int cmp_strptr(const void *a, const void *b);

/* FNV-1a, 64 bits: cache keys and fingerprints, not security. */
#define FNV_INIT 0xcbf29ce484222325ULL
uint64_t fnv1a(const void *data, size_t len, uint64_t h);

#endif
