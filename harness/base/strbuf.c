#include "strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

char strbuf_empty[1];

void sb_init(StrBuf *sb)
{
    sb->buf = strbuf_empty;
    sb->len = sb->cap = 0;
}

static void reserve(StrBuf *sb, size_t extra)
{
    size_t need;
    if (__builtin_add_overflow(sb->len, extra, &need) || __builtin_add_overflow(need, 1, &need))
        need = (size_t)-1; /* alloc_grow dies on it */
    if (!sb->cap)
        sb->buf = NULL; /* never realloc the shared empty string */
    alloc_grow((void **)&sb->buf, &sb->cap, need, 1);
    if (!sb->len)
        sb->buf[0] = '\0';
}

void sb_addn(StrBuf *sb, const char *s, size_t n)
{
    reserve(sb, n);
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_add(StrBuf *sb, const char *s)
{
    sb_addn(sb, s, strlen(s));
}

void sb_addch(StrBuf *sb, char c)
{
    sb_addn(sb, &c, 1);
}

void sb_addf(StrBuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    sb_add(sb, s);
    free(s);
}

void sb_reset(StrBuf *sb)
{
    sb->len = 0;
    if (sb->cap)
        sb->buf[0] = '\0';
}

char *sb_steal(StrBuf *sb)
{
    char *s = sb->cap ? sb->buf : xstrdup("");
    sb_init(sb);
    return s;
}

void sb_free(StrBuf *sb)
{
    if (sb->cap)
        free(sb->buf);
    sb_init(sb);
}
