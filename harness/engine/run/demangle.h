/* C++ names in findings, demangled: TSan and Valgrind demangle function
 * names themselves, but Valgrind names a variable by its symbol
 * ("_ZL7counter"). One c++filt call per report. */
#ifndef RACELAB_DEMANGLE_H
#define RACELAB_DEMANGLE_H

#include "finding.h"

void report_demangle(Report *r);

#endif
