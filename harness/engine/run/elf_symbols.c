#include "elf_symbols.h"

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

/* The file's image, checked to be an ELF file with a sound section
 * table; NULL with *err otherwise. */
static char *load(const char *path, size_t *size, Elf64_Ehdr *eh, char **err)
{
    bool cut = false;
    char *img = read_file(path, ELF_MAX, size, &cut);
    if (!img) {
        *err = xasprintf("cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    if (cut)
        *err = xasprintf("%s is larger than %u MiB", path, ELF_MAX >> 20);
    else if (*size < sizeof *eh || memcmp(img, ELFMAG, SELFMAG) != 0)
        *err = xasprintf("%s is not an ELF executable", path);
    else if ((unsigned char)img[EI_CLASS] != ELFCLASS64 || (unsigned char)img[EI_DATA] != ELFDATA2LSB)
        *err = xasprintf("%s is not a 64-bit little-endian ELF file", path);
    else {
        memcpy(eh, img, sizeof *eh);
        if (eh->e_shentsize == sizeof(Elf64_Shdr) &&
            inside(*size, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
            return img;
        *err = xasprintf("%s: bad ELF section table", path);
    }
    free(img);
    return NULL;
}

struct ElfImage {
    char *img;
    size_t size;
    Elf64_Ehdr eh;
};

ElfImage *elf_open(const char *path, char **err)
{
    ElfImage *e = xcalloc(1, sizeof *e);
    e->img = load(path, &e->size, &e->eh, err);
    if (!e->img) {
        free(e);
        return NULL;
    }
    return e;
}

void elf_close(ElfImage *e)
{
    if (e)
        free(e->img);
    free(e);
}

bool elf_has_symbol(const char *path, const char *name, bool *found, char **err)
{
    *found = false;
    ElfImage *e = elf_open(path, err);
    if (!e)
        return false;
    for (unsigned i = 0; !*found && i < e->eh.e_shnum; i++) {
        Elf64_Shdr sh, str;
        memcpy(&sh, e->img + e->eh.e_shoff + i * sizeof sh, sizeof sh);
        if ((sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) || sh.sh_link >= e->eh.e_shnum)
            continue;
        memcpy(&str, e->img + e->eh.e_shoff + sh.sh_link * sizeof str, sizeof str);
        *found = scan_symbols(e->img, e->size, &sh, &str, name);
    }
    elf_close(e);
    return true;
}

char *elf_data_symbol(const ElfImage *e, uint64_t vaddr)
{
    if (!e)
        return NULL;
    const char *img = e->img;
    size_t size = e->size;
    Elf64_Ehdr eh = e->eh;
    char *name = NULL;
    for (unsigned i = 0; !name && i < eh.e_shnum; i++) {
        Elf64_Shdr sh, str;
        memcpy(&sh, img + eh.e_shoff + i * sizeof sh, sizeof sh);
        if (sh.sh_type != SHT_SYMTAB || sh.sh_link >= eh.e_shnum || sh.sh_entsize != sizeof(Elf64_Sym))
            continue;
        memcpy(&str, img + eh.e_shoff + sh.sh_link * sizeof str, sizeof str);
        if (!inside(size, sh.sh_offset, sh.sh_size) || !inside(size, str.sh_offset, str.sh_size))
            continue;
        for (uint64_t off = 0; !name && off + sizeof(Elf64_Sym) <= sh.sh_size; off += sizeof(Elf64_Sym)) {
            Elf64_Sym sym;
            memcpy(&sym, img + sh.sh_offset + off, sizeof sym);
            if (ELF64_ST_TYPE(sym.st_info) != STT_OBJECT || sym.st_name >= str.sh_size)
                continue;
            uint64_t sz = sym.st_size ? sym.st_size : 1;
            if (vaddr < sym.st_value || vaddr - sym.st_value >= sz)
                continue;
            const char *s = img + str.sh_offset + sym.st_name;
            size_t n = strnlen(s, str.sh_size - sym.st_name);
            name = vaddr == sym.st_value
                       ? xstrndup(s, n)
                       : xasprintf("%.*s+%llu", (int)n, s, (unsigned long long)(vaddr - sym.st_value));
        }
    }
    return name;
}

void elf_imports(const ElfImage *e, StrVec *out)
{
    if (!e)
        return;
    for (unsigned i = 0; i < e->eh.e_shnum; i++) {
        Elf64_Shdr sh, str;
        memcpy(&sh, e->img + e->eh.e_shoff + i * sizeof sh, sizeof sh);
        if ((sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) || sh.sh_link >= e->eh.e_shnum ||
            sh.sh_entsize != sizeof(Elf64_Sym))
            continue;
        memcpy(&str, e->img + e->eh.e_shoff + sh.sh_link * sizeof str, sizeof str);
        if (!inside(e->size, sh.sh_offset, sh.sh_size) || !inside(e->size, str.sh_offset, str.sh_size))
            continue;
        for (uint64_t off = sizeof(Elf64_Sym); off + sizeof(Elf64_Sym) <= sh.sh_size; off += sizeof(Elf64_Sym)) {
            Elf64_Sym sym;
            memcpy(&sym, e->img + sh.sh_offset + off, sizeof sym);
            if (sym.st_shndx != SHN_UNDEF || sym.st_name == 0 || sym.st_name >= str.sh_size)
                continue;
            const char *s = e->img + str.sh_offset + sym.st_name;
            char *name = xstrndup(s, strnlen(s, str.sh_size - sym.st_name));
            bool dup = false;
            for (size_t k = 0; k < out->n && !dup; k++)
                dup = !strcmp(out->v[k], name);
            if (!dup && *name)
                strvec_push(out, name);
            free(name);
        }
    }
}

void elf_sections(const ElfImage *e, StrVec *out)
{
    if (!e || e->eh.e_shstrndx >= e->eh.e_shnum)
        return;
    Elf64_Shdr names;
    memcpy(&names, e->img + e->eh.e_shoff + e->eh.e_shstrndx * sizeof names, sizeof names);
    if (!inside(e->size, names.sh_offset, names.sh_size))
        return;
    for (unsigned i = 1; i < e->eh.e_shnum; i++) {
        Elf64_Shdr sh;
        memcpy(&sh, e->img + e->eh.e_shoff + i * sizeof sh, sizeof sh);
        if (sh.sh_name >= names.sh_size)
            continue;
        const char *s = e->img + names.sh_offset + sh.sh_name;
        char *name = xstrndup(s, strnlen(s, names.sh_size - sh.sh_name));
        strvec_push(out, name);
        free(name);
    }
}
