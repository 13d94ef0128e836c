/* Must not build: core may not see the lab. */
#include "lab.h"
