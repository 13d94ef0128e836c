/* Known limitations of the tools: findings a tool is known to make on
 * correct code (docs/tools.md, "Known false positives"). A finding is
 * classed a tool limitation only with evidence of the pattern in the
 * finding or the program (a pthread_once frame, a trylock at the
 * acquisition, a condition signalled after the unlock, C11 atomics) and
 * when no tool that understands the pattern confirms it. The gate shows
 * such findings with the reason and does not fail on them unless
 * --strict. */
#ifndef RACELAB_TOOLLIMITS_H
#define RACELAB_TOOLLIMITS_H

#include <stdbool.h>

#include "finding.h"

typedef struct {
    /* Each tool's report, when the tool ran and decided; NULL otherwise. */
    const Report *decided[DETECTOR_COUNT];
    const SourceSet *ss;
    bool atomics; /* the program's sources use C11 or C++ atomics */
} LimitContext;

/* Why f is a known limitation of its tool (a sentence for the user), or
 * NULL when it is a finding like any other. */
const char *finding_limitation(const Finding *f, const LimitContext *cx);

/* Whether the sources use C11 or C++ atomics (stdatomic.h, _Atomic,
 * std::atomic, the __atomic and __sync builtins). */
bool sources_use_atomics(const SourceSet *ss);

#endif
