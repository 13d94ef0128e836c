/* Must not build: core, the lab's words, may not see the report parsers above it. */
#include "tsan_report.h"
