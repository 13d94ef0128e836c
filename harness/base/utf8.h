/* Text from tools (paths, messages, compiler logs) is bytes; JSON and XML
 * need valid UTF-8. */
#ifndef RACELAB_UTF8_H
#define RACELAB_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if s does not start
 * one (a stray byte, an overlong form, a surrogate, a cut-off sequence). */
size_t utf8_seq_len(const char *s);

/* A copy of s with every byte that is not valid UTF-8 replaced by '?'. */
char *utf8_clean(const char *s);

#endif
