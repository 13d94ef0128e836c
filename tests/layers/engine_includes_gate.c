/* Must not build: the engine may not see the gate above it. */
#include "check.h"
