/* Which version of each tool said what: asked of the tool itself, once
 * per process (clang for ThreadSanitizer, valgrind for its three tools),
 * and racelab's own version for explore, which is part of racelab. For
 * reports (SARIF's driver.version and driver.semanticVersion). */
#ifndef RACELAB_TOOLVERSION_H
#define RACELAB_TOOLVERSION_H

#include "tool.h"

/* racelab's own version (the project's, from CMake) */
const char *racelab_version(void);

typedef struct {
    const char *version; /* as the tool says it: "14.0.6", "3.19.0" */
    const char *semver;  /* SemVer 2.0: "14.0.6", "0.3.0"; "0.0.0-unknown" if it could not be read */
} ToolVersion;

ToolVersion tool_version(ToolId tool);

/* "0.3" -> "0.3.0", "3.19.0.GIT" -> "3.19.0"; NULL when s starts with no
 * number. Exposed for the unit tests. */
char *semver_of(const char *s);

#endif
