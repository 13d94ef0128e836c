/* Must build: the control for the probes that must not (an edge the
 * layers allow: grader -> engine -> base). */
#include "alloc.h"
#include "grade.h"
#include "lab.h"

int layer_probe(void);
int layer_probe(void)
{
    return V_CLEAN;
}
