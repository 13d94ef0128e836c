/* Known limitations of the tools: findings a tool is known to make on
 * correct code (docs/tools.md, "Known false positives"). A finding is
 * classed a tool limitation only on positive evidence that the pattern is
 * safe, never on another tool's silence: explore's happens-before saw the
 * racing lines ordered in every schedule it ran (atomics, pthread_once),
 * or its lock graph saw the cycle gated or made by trylock at every
 * instance with its search complete; or the finding is one POSIX allows
 * (a condition signalled after the unlock). The gate shows such findings
 * with the reason and does not fail on them unless --strict. */
#ifndef RACELAB_TOOLLIMITS_H
#define RACELAB_TOOLLIMITS_H

#include <stdbool.h>

#include "finding.h"

typedef struct {
    /* Each tool's report, when the tool ran and decided; NULL otherwise. */
    const Report *decided[DETECTOR_COUNT]; /* explore's carries its evidence */
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
