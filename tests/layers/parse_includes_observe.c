/* Must not build: a parser may not see the /proc and cgroup watchers. */
#include "cgroup.h"
