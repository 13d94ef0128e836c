#include "strvec.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"

char *strvec_empty[1];

void strvec_init(StrVec *sv)
{
    sv->v = strvec_empty;
    sv->n = sv->cap = 0;
}

static void push_owned(StrVec *sv, char *s)
{
    if (!sv->cap)
        sv->v = NULL;
    ALLOC_GROW(sv->v, sv->n + 2, sv->cap);
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

void strvec_push(StrVec *sv, const char *s)
{
    push_owned(sv, xstrdup(s));
}

void strvec_pushf(StrVec *sv, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    push_owned(sv, xvasprintf(fmt, ap));
    va_end(ap);
}

void strvec_pushv(StrVec *sv, char *const *v)
{
    for (size_t i = 0; v && v[i]; i++)
        strvec_push(sv, v[i]);
}

void strvec_push_words(StrVec *sv, const char *text)
{
    const char *p = text;
    for (;;) {
        p += strspn(p, " \t\n\r");
        size_t n = strcspn(p, " \t\n\r");
        if (!n)
            break;
        push_owned(sv, xstrndup(p, n));
        p += n;
    }
}

void strvec_truncate(StrVec *sv, size_t from)
{
    while (sv->n > from) {
        free(sv->v[--sv->n]);
        sv->v[sv->n] = NULL;
    }
}

void strvec_clear(StrVec *sv)
{
    if (sv->cap) {
        strvec_truncate(sv, 0);
        free(sv->v);
    }
    strvec_init(sv);
}

char **strvec_detach(StrVec *sv)
{
    char **v = sv->cap ? sv->v : xcalloc(1, sizeof(char *));
    strvec_init(sv);
    return v;
}

char *strvec_join_quoted(const StrVec *sv)
{
    StrBuf sb = STRBUF_INIT;
    for (size_t i = 0; i < sv->n; i++) {
        const char *a = sv->v[i];
        if (i)
            sb_addch(&sb, ' ');
        if (*a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+./,:@%") == strlen(a)) {
            sb_add(&sb, a);
            continue;
        }
        sb_addch(&sb, '\'');
        for (; *a; a++) {
            if (*a == '\'')
                sb_add(&sb, "'\\''");
            else
                sb_addch(&sb, *a);
        }
        sb_addch(&sb, '\'');
    }
    return sb_steal(&sb);
}

void strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}
