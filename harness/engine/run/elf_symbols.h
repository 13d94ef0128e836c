/* Reads an executable's symbol tables (64-bit little-endian ELF, with
 * elfutils' libelf, which checks every offset against the file; a file
 * malformed on purpose gives an error or no symbols, and no look-up reads
 * more than a few times its size): to tell how a binary was built (a
 * ThreadSanitizer build defines, or with gcc's shared libtsan imports,
 * __tsan_init), and to name the global at an address (the objects in
 * explore's reports). */
#ifndef RACELAB_ELF_SYMBOLS_H
#define RACELAB_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stdint.h>

#include "strvec.h"

/* Whether the file at path has a symbol called name in .symtab or
 * .dynsym. False with *err set when the file is not one we can read. */
bool elf_has_symbol(const char *path, const char *name, bool *found, char **err);

/* A file's image, read once to look up many addresses. */
typedef struct ElfImage ElfImage;
ElfImage *elf_open(const char *path, char **err);
/* The data object (a global or static variable) that holds the address
 * vaddr, as "name" or "name+8", malloc'd; NULL if none does. */
char *elf_data_symbol(const ElfImage *elf, uint64_t vaddr);
void elf_close(ElfImage *elf);
/* An object's undefined symbols (what it imports), and its sections'
 * names, appended to out (a relocatable object or an executable). */
void elf_imports(const ElfImage *elf, StrVec *out);
void elf_sections(const ElfImage *elf, StrVec *out);

#endif
