/* Reads an executable's symbol tables, to tell how it was built: a
 * ThreadSanitizer build defines (or, with gcc's shared libtsan, imports)
 * __tsan_init. */
#ifndef RACELAB_ELF_PROBE_H
#define RACELAB_ELF_PROBE_H

#include <stdbool.h>

/* Whether the 64-bit ELF file at path has a symbol called name in .symtab
 * or .dynsym. False with *err set when the file is not one we can read. */
bool elf_has_symbol(const char *path, const char *name, bool *found, char **err);

#endif
