/* Must not build: the runner may not see the lab that drives it. */
#include "judge.h"
