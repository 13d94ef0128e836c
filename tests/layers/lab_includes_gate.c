/* Must not build: the engine's top room may not see the gate above it. */
#include "check.h"
