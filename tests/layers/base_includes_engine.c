/* Must not build: base includes nothing else of the harness. */
#include "finding.h"
