/* Must not build: the gate may not see the grader (harness/CMakeLists.txt). */
#include "grade.h"
