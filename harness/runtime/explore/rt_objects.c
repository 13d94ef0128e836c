/* The program's synchronisation objects, known by address: an open-
 * addressing table that grows, and each object's name in the report (M1,
 * C2 ...; numbered in order of first use, so a replay names them alike). */
#include "rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static Obj **slots;
static size_t cap, used;
static int next_id[OK_KIND_COUNT];

static size_t hash(const void *addr)
{
    uint64_t x = (uint64_t)(uintptr_t)addr;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static void grow(void)
{
    size_t ncap = cap ? cap * 2 : 256;
    Obj **n = calloc(ncap, sizeof *n);
    if (!n) {
        rt_write("note out of memory in the explore runtime");
        _exit(EXPLORE_EXIT_STUCK);
    }
    for (size_t i = 0; i < cap; i++) {
        if (!slots[i])
            continue;
        size_t k = hash(slots[i]->addr) & (ncap - 1);
        while (n[k])
            k = (k + 1) & (ncap - 1);
        n[k] = slots[i];
    }
    free(slots);
    slots = n;
    cap = ncap;
}

Obj *rt_obj(const void *addr, ObjKind kind)
{
    if ((used + 1) * 2 > cap)
        grow();
    size_t k = hash(addr) & (cap - 1);
    while (slots[k]) {
        if (slots[k]->addr == addr) {
            if (slots[k]->kind == kind)
                return slots[k];
            break; /* the memory was reused for an object of another kind */
        }
        k = (k + 1) & (cap - 1);
    }
    Obj *o = calloc(1, sizeof *o);
    if (!o) {
        rt_write("note out of memory in the explore runtime");
        _exit(EXPLORE_EXIT_STUCK);
    }
    o->addr = addr;
    o->kind = kind;
    o->id = ++next_id[kind];
    if (slots[k]) {
        slots[k] = o; /* the old object of another kind is forgotten (still referenced by the trace) */
    } else {
        slots[k] = o;
        used++;
    }
    return o;
}

void rt_obj_forget(const void *addr)
{
    rt_hb_forget(addr);
    if (!cap)
        return;
    size_t k = hash(addr) & (cap - 1);
    while (slots[k]) {
        if (slots[k]->addr == addr) {
            /* kept alive for the trace and the lock graph; a new object
             * takes the address. The slot keeps probing intact. */
            slots[k]->addr = (const void *)((uintptr_t)slots[k]->addr | 1); /* no real object is odd */
            return;
        }
        k = (k + 1) & (cap - 1);
    }
}

void rt_obj_name(Obj *o, char *buf, size_t n)
{
    static const char *const kinds[OK_KIND_COUNT] = {"mutex",     "cond",    "rwlock", "spinlock",
                                                     "semaphore", "barrier", "once"};
    static const char letters[OK_KIND_COUNT] = {'M', 'C', 'R', 'L', 'S', 'B', 'O'};
    snprintf(buf, n, "%c%d", letters[o->kind], o->id);
    if (o->described)
        return;
    o->described = true;
    uintptr_t a = (uintptr_t)o->addr & ~(uintptr_t)1;
    if (a >= ctl.exe_all_lo && a < ctl.exe_all_hi)
        rt_writef("obj %s %s exe+0x%lx", buf, kinds[o->kind], (unsigned long)(a - ctl.exe_base));
    else
        rt_writef("obj %s %s mem", buf, kinds[o->kind]);
}
