/* Must not build: a parser reads text: it may not see the runner (no process, no addr2line). */
#include "run.h"
