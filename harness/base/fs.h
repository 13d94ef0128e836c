/* Files and paths. Every function that can fail says so with its return
 * value and leaves errno set. */
#ifndef RACELAB_FS_H
#define RACELAB_FS_H

#include <stdbool.h>
#include <stddef.h>

/* Reads at most max bytes of a file, NUL-terminated; *len gets the size
 * read, *truncated whether there was more (both may be NULL). NULL, with
 * errno set, when it cannot be read. */
char *read_file(const char *path, size_t max, size_t *len, bool *truncated);
bool write_file(const char *path, const char *data, size_t len);
/* A small file (/proc's) into buf, at most size - 1 bytes, NUL-terminated;
 * false if it cannot be opened or read. `buf` is never NULL, size > 0. */
bool read_small(const char *path, char *buf, size_t size);
/* Writes a temporary file next to path and renames it over path: a
 * reader never sees half a file, and parallel writers each leave a whole
 * one. On failure *err says why and path is untouched. */
bool write_file_atomic(const char *path, const char *data, size_t len, char **err);
bool mkdir_p(const char *path);
/* Removes a file or a whole tree; true if nothing is left. */
bool remove_tree(const char *path);
bool file_exists(const char *path);
bool is_dir(const char *path);

/* Whether the file system of path has less than 1 MiB left for us: a
 * tool or compiler that failed there most likely could not write. */
bool fs_nearly_full(const char *path);

char *path_join(const char *a, const char *b);
/* "dir/name.c" -> "name.c"; points into path. */
const char *path_base(const char *path);
char *path_dirname(const char *path);
/* "dir/name.tar.gz" -> "name.tar" (the base, up to its last dot) */
char *path_stem(const char *path);
/* realpath() that returns a malloc'd copy of path itself when it fails */
char *real_or_copy(const char *path);

#endif
