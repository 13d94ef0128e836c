/* Time and the statistics README's numbers are made of. */
#ifndef RACELAB_MEASURE_H
#define RACELAB_MEASURE_H

#include <stddef.h>

/* Seconds on the monotonic clock. */
double now_seconds(void);
/* The median of v (sorted in place); 0 for none. */
double median(double *v, size_t n);

#endif
