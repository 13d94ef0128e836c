#include "text.h"

#include <string.h>

#include "strbuf.h"

bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *trim(char *s)
{
    while (blank(*s))
        s++;
    size_t n = strlen(s);
    while (n && blank(s[n - 1]))
        s[--n] = '\0';
    return s;
}

bool next_line(const char **pos, const char **line, size_t *len)
{
    const char *p = *pos;
    if (!p || !*p)
        return false;
    const char *eol = strchr(p, '\n');
    *line = p;
    *len = eol ? (size_t)(eol - p) : strlen(p);
    *pos = eol ? eol + 1 : p + *len;
    return true;
}

bool text_line(const char *text, size_t len, int n, const char **line, size_t *line_len)
{
    const char *p = text, *end = text + len;
    for (int l = 1; l < n && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    if (n < 1 || p >= end)
        return false;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *line = p;
    *line_len = (size_t)((nl ? nl : end) - p);
    return true;
}

char *percent_encode(const char *s, const char *keep)
{
    StrBuf sb = STRBUF_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr(keep, *p))
            sb_addch(&sb, (char)*p);
        else
            sb_addf(&sb, "%%%02X", *p);
    }
    return sb_steal(&sb);
}

int cmp_strptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

uint64_t fnv1a(const void *data, size_t len, uint64_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
