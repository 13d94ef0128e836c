/* A growable string, as git's strbuf. Contract: `buf` is never NULL and
 * always NUL-terminated, so `sb.buf` can be printed at any time; `len` is
 * its length. Start every StrBuf with STRBUF_INIT (or sb_init); after
 * sb_free or sb_steal it is empty again and may be reused. */
#ifndef RACELAB_STRBUF_H
#define RACELAB_STRBUF_H

#include <stddef.h>

typedef struct {
    char *buf;
    size_t len, cap; /* cap 0: buf is the shared empty string, not ours */
} StrBuf;

extern char strbuf_empty[1];
/* clang-format off */
#define STRBUF_INIT {strbuf_empty, 0, 0}
/* clang-format on */

void sb_init(StrBuf *sb);
void sb_add(StrBuf *sb, const char *s);
void sb_addn(StrBuf *sb, const char *s, size_t n);
void sb_addch(StrBuf *sb, char c);
void sb_addf(StrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties the string, keeps the memory. */
void sb_reset(StrBuf *sb);
/* The string, malloc'd and the caller's (never NULL); sb is empty again. */
char *sb_steal(StrBuf *sb);
void sb_free(StrBuf *sb);

#endif
