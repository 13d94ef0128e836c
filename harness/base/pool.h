/* Runs n independent jobs in up to `jobs` child processes. Each job writes
 * its result as text to a FILE; the parent gets the texts back, in order.
 * A job that crashes loses only its own result. */
#ifndef RACELAB_POOL_H
#define RACELAB_POOL_H

#include <stddef.h>
#include <stdio.h>

typedef void (*PoolFn)(size_t index, void *ctx, FILE *out);
typedef void (*PoolProgress)(size_t done, size_t total, void *ctx);

/* outputs[i] is malloc'd text; NULL if job i died without writing. */
void pool_run(size_t n, int jobs, PoolFn fn, void *ctx, char **outputs, PoolProgress progress);
int pool_default_jobs(void);

#endif
