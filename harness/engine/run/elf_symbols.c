#include "elf_symbols.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "text.h"

/* The file is hostile (a checked program, a student's object): libelf
 * (elfutils) reads the structure and checks every table and section it
 * hands out against the image, from a copy of the file in our memory
 * (never a mapping of it: a file cut short while mapped raises SIGBUS).
 * What is left here is bounded by what libelf validated: a string is read
 * within its string table's data, a symbol within its table's. */

#define ELF_MAX (1u << 30)

/* A symbol table and its string table, as libelf handed them out. */
typedef struct {
    Elf_Data *syms;
    const char *str; /* not NUL-terminated at its end, perhaps */
    size_t nsyms, strsize;
    bool dynamic; /* .dynsym */
} SymTab;

struct ElfImage {
    char *img; /* what libelf reads: it must outlive elf */
    size_t size;
    Elf *elf;
    SymTab *tabs;
    size_t ntabs;
};

static void elf_init(void)
{
    (void)elf_version(EV_CURRENT);
}

/* The whole file, at most ELF_MAX bytes, from a regular file only (a FIFO
 * or a device would block or never end); NULL with *err otherwise. */
static char *read_image(const char *path, size_t *size, char **err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        *err = xasprintf("cannot read %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        *err = xasprintf("cannot read %s: not a regular file", path);
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > ELF_MAX) {
        *err = xasprintf("%s is larger than %u MiB", path, ELF_MAX >> 20);
        close(fd);
        return NULL;
    }
    size_t want = (size_t)st.st_size, got = 0;
    char *img = xmalloc(want ? want : 1);
    while (got < want) { /* a file cut short meanwhile is read as it is */
        ssize_t n = read(fd, img + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *err = xasprintf("cannot read %s: %s", path, strerror(errno));
            free(img);
            close(fd);
            return NULL;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    *size = got;
    return img;
}

/* The symbol tables whose entries are Elf64_Syms, with their string
 * tables; one whose data or strings libelf cannot give is left out (no
 * symbols, as before). False, with *err, when the section table itself is
 * unsound, or the tables would make every look-up read more than the file
 * holds: tables that overlap each other, or names that overlap. */
static bool find_tables(ElfImage *e, const char *path, char **err)
{
    size_t cap = 0;
    uint64_t table_bytes = 0, name_budget = 2 * (uint64_t)e->size + (1u << 20);
    for (Elf_Scn *scn = elf_nextscn(e->elf, NULL); scn; scn = elf_nextscn(e->elf, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh)) {
            *err = xasprintf("%s: bad ELF section table (%s)", path, elf_errmsg(-1));
            return false;
        }
        if ((sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) || sh.sh_entsize != sizeof(Elf64_Sym))
            continue;
        Elf_Data *syms = elf_getdata(scn, NULL);
        Elf_Scn *strscn = elf_getscn(e->elf, sh.sh_link);
        Elf_Data *str = strscn ? elf_rawdata(strscn, NULL) : NULL;
        if (!syms || !syms->d_buf || syms->d_type != ELF_T_SYM || !str || !str->d_buf)
            continue;
        SymTab t = {.syms = syms,
                    .str = str->d_buf,
                    .nsyms = syms->d_size / sizeof(Elf64_Sym),
                    .strsize = str->d_size,
                    .dynamic = sh.sh_type == SHT_DYNSYM};
        table_bytes += syms->d_size;
        if (table_bytes > e->size) {
            *err = xasprintf("%s: bad ELF symbol tables (%llu bytes of them in a file of %zu)", path,
                             (unsigned long long)table_bytes, e->size);
            return false;
        }
        for (size_t i = 0; i < t.nsyms; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(syms, (int)i, &sym) || sym.st_name >= t.strsize)
                continue;
            size_t left = t.strsize - sym.st_name;
            size_t n = strnlen(t.str + sym.st_name, left < name_budget ? left : (size_t)name_budget);
            if (n + 1 > name_budget) {
                *err = xasprintf("%s: bad ELF symbol tables (their names overlap: more than %llu bytes of names "
                                 "in a file of %zu)",
                                 path, (unsigned long long)(2 * (uint64_t)e->size + (1u << 20)), e->size);
                return false;
            }
            name_budget -= n + 1;
        }
        PUSH(e->tabs, e->ntabs, cap, t);
    }
    return true;
}

ElfImage *elf_open(const char *path, char **err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, elf_init);
    ElfImage *e = xcalloc(1, sizeof *e);
    e->img = read_image(path, &e->size, err);
    if (!e->img) {
        free(e);
        return NULL;
    }
    e->elf = elf_memory(e->img, e->size);
    GElf_Ehdr eh;
    size_t nsections = 0;
    if (!e->elf)
        *err = xasprintf("%s: bad ELF file (%s)", path, elf_errmsg(-1));
    else if (elf_kind(e->elf) != ELF_K_ELF)
        *err = xasprintf("%s is not an ELF executable", path);
    else if (gelf_getclass(e->elf) != ELFCLASS64 || elf_getident(e->elf, NULL)[EI_DATA] != ELFDATA2LSB)
        *err = xasprintf("%s is not a 64-bit little-endian ELF file", path);
    else if (!gelf_getehdr(e->elf, &eh))
        *err = xasprintf("%s: bad ELF header (%s)", path, elf_errmsg(-1));
    else if (eh.e_shentsize != sizeof(Elf64_Shdr))
        *err = xasprintf("%s: bad ELF section table (entries of %u bytes)", path, (unsigned)eh.e_shentsize);
    /* libelf reads a table that lies past the end as no sections at all:
     * it is refused, as the header's count is not what libelf found */
    else if (elf_getshdrnum(e->elf, &nsections) != 0 || (eh.e_shnum && nsections != eh.e_shnum) ||
             (!eh.e_shnum && eh.e_shoff > e->size))
        *err = xasprintf("%s: bad ELF section table (%u sections at offset %llu in a file of %zu bytes)", path,
                         (unsigned)eh.e_shnum, (unsigned long long)eh.e_shoff, e->size);
    else if (find_tables(e, path, err))
        return e;
    elf_close(e);
    return NULL;
}

void elf_close(ElfImage *e)
{
    if (!e)
        return;
    elf_end(e->elf);
    free(e->tabs);
    free(e->img);
    free(e);
}

/* Symbol i of t, and its name (at most *len bytes, not always
 * NUL-terminated); false if it has none. */
static bool sym_at(const SymTab *t, size_t i, GElf_Sym *sym, const char **name, size_t *len)
{
    if (!gelf_getsym(t->syms, (int)i, sym) || sym->st_name >= t->strsize)
        return false;
    *name = t->str + sym->st_name;
    *len = strnlen(*name, t->strsize - sym->st_name);
    return true;
}

bool elf_has_symbol(const char *path, const char *name, bool *found, char **err)
{
    *found = false;
    ElfImage *e = elf_open(path, err);
    if (!e)
        return false;
    size_t want = strlen(name);
    for (size_t k = 0; !*found && k < e->ntabs; k++) {
        const SymTab *t = &e->tabs[k];
        for (size_t i = 0; !*found && i < t->nsyms; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(t->syms, (int)i, &sym) || sym.st_name >= t->strsize ||
                t->strsize - sym.st_name <= want)
                continue;
            *found = !memcmp(t->str + sym.st_name, name, want + 1);
        }
    }
    elf_close(e);
    return true;
}

char *elf_data_symbol(const ElfImage *e, uint64_t vaddr)
{
    if (!e)
        return NULL;
    char *found = NULL;
    for (size_t k = 0; !found && k < e->ntabs; k++) {
        const SymTab *t = &e->tabs[k];
        for (size_t i = 0; !found && !t->dynamic && i < t->nsyms; i++) {
            GElf_Sym sym;
            const char *s;
            size_t n;
            if (!sym_at(t, i, &sym, &s, &n) || GELF_ST_TYPE(sym.st_info) != STT_OBJECT)
                continue;
            uint64_t sz = sym.st_size ? sym.st_size : 1;
            if (vaddr < sym.st_value || vaddr - sym.st_value >= sz)
                continue;
            found = vaddr == sym.st_value
                        ? xstrndup(s, n) /* n < ELF_MAX: fits an int */
                        : xasprintf("%.*s+%llu", (int)n, s, (unsigned long long)(vaddr - sym.st_value));
        }
    }
    return found;
}

/* The names already in out, by hash, to add each import once in linear
 * time (an object may import millions). */
typedef struct {
    size_t *slot; /* index into out->v, plus one; 0 for empty */
    size_t mask;
} NameSet;

static size_t name_slot(const NameSet *set, const StrVec *out, const char *s, size_t n)
{
    size_t i = (size_t)fnv1a(s, n, FNV_INIT) & set->mask;
    while (set->slot[i] && strcmp(out->v[set->slot[i] - 1], s))
        i = (i + 1) & set->mask;
    return i;
}

static void name_set_add(NameSet *set, StrVec *out, const char *s)
{
    size_t i = name_slot(set, out, s, strlen(s));
    if (set->slot[i])
        return;
    strvec_push(out, s);
    set->slot[i] = out->n;
}

void elf_imports(const ElfImage *e, StrVec *out)
{
    if (!e)
        return;
    size_t most = out->n;
    for (size_t k = 0; k < e->ntabs; k++)
        most += e->tabs[k].nsyms;
    size_t cap = 16;
    while (cap < 2 * most)
        cap *= 2;
    NameSet set = {xcalloc(cap, sizeof *set.slot), cap - 1};
    for (size_t i = 0; i < out->n; i++) { /* as before: one of each, those already there too */
        size_t s = name_slot(&set, out, out->v[i], strlen(out->v[i]));
        if (!set.slot[s])
            set.slot[s] = i + 1;
    }
    for (size_t k = 0; k < e->ntabs; k++) {
        const SymTab *t = &e->tabs[k];
        for (size_t i = 1; i < t->nsyms; i++) {
            GElf_Sym sym;
            const char *s;
            size_t n;
            if (!sym_at(t, i, &sym, &s, &n) || sym.st_shndx != SHN_UNDEF || sym.st_name == 0 || n == 0)
                continue;
            char *name = xstrndup(s, n);
            name_set_add(&set, out, name);
            free(name);
        }
    }
    free(set.slot);
}

void elf_sections(const ElfImage *e, StrVec *out)
{
    size_t names_at, nsections;
    if (!e || elf_getshdrstrndx(e->elf, &names_at) != 0 || elf_getshdrnum(e->elf, &nsections) != 0)
        return;
    Elf_Scn *names_scn = elf_getscn(e->elf, names_at);
    Elf_Data *names = names_scn ? elf_rawdata(names_scn, NULL) : NULL;
    if (!names || !names->d_buf)
        return;
    const char *str = names->d_buf;
    for (size_t i = 1; i < nsections; i++) {
        GElf_Shdr sh;
        Elf_Scn *scn = elf_getscn(e->elf, i);
        if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_name >= names->d_size)
            continue;
        char *name = xstrndup(str + sh.sh_name, strnlen(str + sh.sh_name, names->d_size - sh.sh_name));
        strvec_push(out, name);
        free(name);
    }
}
