/* Text from tools and from untrusted programs (paths, messages, compiler
 * logs, a program's output) is bytes. There is one validator and one
 * policy for showing such text: printable(). JSON, SARIF, JUnit XML, the
 * terminal and a student's feedback all get text that went through it. */
#ifndef RACELAB_UTF8_H
#define RACELAB_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1..4) within avail bytes, or 0
 * if s does not start one (a stray byte, an overlong form, a surrogate, a
 * code point past U+10FFFF, a sequence cut off). */
size_t utf8_seq_len(const char *s, size_t avail);

/* A malloc'd copy of s[0..len) that is valid UTF-8 with no control
 * characters but '\n' and '\t': every other byte that is not a printable
 * character (NUL, escapes, C1 controls, bidirectional overrides,
 * U+FFFE/U+FFFF, invalid UTF-8) is written as the four characters \xNN. */
char *printable(const char *s, size_t len);
/* printable() of a NUL-terminated string; NULL gives "". */
char *printable_str(const char *s);

#endif
