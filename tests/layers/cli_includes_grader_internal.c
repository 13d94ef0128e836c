/* Must not build: grade_internal.h is the grader's own. */
#include "grade_internal.h"
