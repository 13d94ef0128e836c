/* The preprocessed unit's hash without the preprocessor: ccache's "direct
 * mode" for build.c's cache key. Running `clang -E` costs 0.1 s a build
 * even when nothing changed; a manifest remembers what that run read, so
 * the next build can check it with a few reads and stats instead:
 *   - every file the unit included (from the line markers), by content;
 *   - the directories a new header could appear in and change what an
 *     #include or __has_include finds: every search directory (those that
 *     do not exist yet too) and every includer's directory, joined with
 *     every sub-directory an included file or a __has_include name lies
 *     in, by modification time (or absence).
 * Files are hashed with XXH3-128 (libxxhash).
 * A manifest is not written, so every build preprocesses as before, when
 * the unit uses __DATE__, __TIME__ or __TIMESTAMP__, asks __has_include of
 * a macro, or names a file that cannot be read again. */
#ifndef RACELAB_DEPCACHE_H
#define RACELAB_DEPCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strvec.h"

/* True, with the unit's hash, when the manifest exists and everything it
 * names is as it was. */
bool depcache_lookup(const char *manifest, uint64_t *unit_hash);

/* Writes the manifest of a unit whose preprocessed text is `text`, built
 * with the compiler's search directories `search` (depcache_search_dirs),
 * whose hash is unit_hash. Nothing is written when the unit cannot be
 * checked without the preprocessor (see above). */
void depcache_record(const char *manifest, const char *text, size_t len, const StrVec *search, uint64_t unit_hash);

/* A file's content hash: the low 64 bits of the XXH3-128 its manifest line
 * holds (build.c's keys are 64-bit), read in pieces; false if it cannot
 * be read whole or is over 64 MiB (a file no manifest names). */
bool depcache_file_hash(const char *path, uint64_t *h);

/* The search directories in the output of `COMPILER -E -v`: both lists,
 * "..." and <...>, and those it ignored because they do not exist. */
void depcache_search_dirs(StrVec *out, const char *verbose_output);

#endif
