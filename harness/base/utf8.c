#include "utf8.h"

#include <string.h>

#include "alloc.h"
#include "strbuf.h"

size_t utf8_seq_len(const char *str, size_t avail)
{
    const unsigned char *s = (const unsigned char *)str;
    if (!avail)
        return 0;
    if (s[0] < 0x80)
        return 1;
    size_t n;
    unsigned min, cp;
    if ((s[0] & 0xe0) == 0xc0)
        n = 2, min = 0x80, cp = s[0] & 0x1f;
    else if ((s[0] & 0xf0) == 0xe0)
        n = 3, min = 0x800, cp = s[0] & 0x0f;
    else if ((s[0] & 0xf8) == 0xf0)
        n = 4, min = 0x10000, cp = s[0] & 0x07;
    else
        return 0;
    if (n > avail)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* The code point of a valid sequence of n bytes. */
static unsigned code_point(const unsigned char *s, size_t n)
{
    static const unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    unsigned cp = s[0] & lead_mask[n];
    for (size_t i = 1; i < n; i++)
        cp = (cp << 6) | (s[i] & 0x3f);
    return cp;
}

static int shown(unsigned cp)
{
    if (cp == '\n' || cp == '\t')
        return 1;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
        return 0; /* C0 and C1 controls, DEL: terminal escapes */
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
        return 0; /* bidirectional overrides: text that reads other than it is */
    if (cp == 0xfffe || cp == 0xffff)
        return 0; /* not characters (XML 1.0 refuses them) */
    return 1;
}

char *printable(const char *s, size_t len)
{
    StrBuf sb = STRBUF_INIT;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len(s + i, len - i);
        if (n && shown(code_point(u + i, n))) {
            sb_addn(&sb, s + i, n);
            i += n;
            continue;
        }
        for (size_t k = 0; k < (n ? n : 1); k++)
            sb_addf(&sb, "\\x%02x", u[i + k]);
        i += n ? n : 1;
    }
    return sb_steal(&sb);
}

char *printable_str(const char *s)
{
    return printable(s ? s : "", s ? strlen(s) : 0);
}
