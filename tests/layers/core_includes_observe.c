/* Must not build: core may not see the /proc and cgroup watchers. */
#include "stuck.h"
