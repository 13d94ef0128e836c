/* Must build: the control for the engine's rooms (edges they allow: run
 * -> parse -> core -> base, run -> observe -> base). */
#include "alloc.h"
#include "finding.h"
#include "proc.h"
#include "stuck.h"
#include "tsan_report.h"

int layer_probe(void);
int layer_probe(void)
{
    return STUCK_WINDOW > 0 && TOOL_TSAN == 0 && PROC_EXITED == 0;
}
