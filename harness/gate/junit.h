/* `racelab check --junit FILE`: one <testcase> per tool, for CI systems
 * that read JUnit XML (GitLab, Jenkins, GitHub test reporters). A tool
 * with new findings is a <failure>, a tool that could not decide is an
 * <error>, a tool that does not apply to the binary is <skipped>. */
#ifndef RACELAB_JUNIT_H
#define RACELAB_JUNIT_H

#include <stdbool.h>

#include "check.h"
#include "strbuf.h"

/* Appends s escaped for XML 1.0 text, or for an attribute value (which
 * also keeps tabs and newlines as character references). Bytes XML cannot
 * carry (control characters, invalid UTF-8) become '?'. */
void xml_escape(StrBuf *sb, const char *s, bool attr);

char *junit_xml(const CheckRun *r);
bool junit_write(const CheckRun *r, const char *path, char **err);

#endif
