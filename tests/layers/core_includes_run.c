/* Must not build: core may not see the runner. */
#include "run.h"
