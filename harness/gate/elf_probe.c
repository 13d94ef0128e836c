#include "elf_probe.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"

#define ELF_MAX (1u << 30)

/* Every offset comes from the file: check it lies inside before use. */
static bool inside(size_t size, uint64_t off, uint64_t len)
{
    return off <= size && len <= size - off;
}

static bool scan_symbols(const char *img, size_t size, const Elf64_Shdr *sh, const Elf64_Shdr *str, const char *name)
{
    if (sh->sh_entsize != sizeof(Elf64_Sym) || !inside(size, sh->sh_offset, sh->sh_size) ||
        !inside(size, str->sh_offset, str->sh_size))
        return false;
    const char *strtab = img + str->sh_offset;
    size_t want = strlen(name);
    for (uint64_t off = 0; off + sizeof(Elf64_Sym) <= sh->sh_size; off += sizeof(Elf64_Sym)) {
        Elf64_Sym sym;
        memcpy(&sym, img + sh->sh_offset + off, sizeof sym); /* the image need not be aligned */
        if (sym.st_name >= str->sh_size || str->sh_size - sym.st_name <= want)
            continue;
        if (!memcmp(strtab + sym.st_name, name, want + 1))
            return true;
    }
    return false;
}

bool elf_has_symbol(const char *path, const char *name, bool *found, char **err)
{
    *found = false;
    size_t size = 0;
    bool cut = false;
    char *img = read_file(path, ELF_MAX, &size, &cut);
    if (!img) {
        *err = xasprintf("cannot read %s: %s", path, strerror(errno));
        return false;
    }
    Elf64_Ehdr eh;
    bool ok = false;
    if (cut)
        *err = xasprintf("%s is larger than %u MiB", path, ELF_MAX >> 20);
    else if (size < sizeof eh || memcmp(img, ELFMAG, SELFMAG) != 0)
        *err = xasprintf("%s is not an ELF executable", path);
    else if ((unsigned char)img[EI_CLASS] != ELFCLASS64 || (unsigned char)img[EI_DATA] != ELFDATA2LSB)
        *err = xasprintf("%s is not a 64-bit little-endian ELF file", path);
    else
        ok = true;
    if (ok) {
        memcpy(&eh, img, sizeof eh);
        ok =
            eh.e_shentsize == sizeof(Elf64_Shdr) && inside(size, eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr));
        if (!ok)
            *err = xasprintf("%s: bad ELF section table", path);
    }
    for (unsigned i = 0; ok && !*found && i < eh.e_shnum; i++) {
        Elf64_Shdr sh, str;
        memcpy(&sh, img + eh.e_shoff + i * sizeof sh, sizeof sh);
        if ((sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) || sh.sh_link >= eh.e_shnum)
            continue;
        memcpy(&str, img + eh.e_shoff + sh.sh_link * sizeof str, sizeof str);
        *found = scan_symbols(img, size, &sh, &str, name);
    }
    free(img);
    return ok;
}
