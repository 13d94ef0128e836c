/* Must not build: observe sees only base: not the lab's words. */
#include "finding.h"
