/* The report: a file the runtime opens before main, written a whole line
 * at a time with write(2), and the trace, a ring of the last events that
 * goes into the report at exit, at a deadlock or at a crash. The crash
 * path allocates nothing and formats numbers by hand. */
#include "rt.h"

#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TRACE_SIZE 4096
#define REPORT_FD_MIN 200 /* out of the way of the program's own descriptors */

typedef struct {
    unsigned long long seq;
    int tid, op;
    Obj *obj;
    uintptr_t pc;
    long arg;
} Event;

static Event ring[TRACE_SIZE];

static const char *const op_names[OP_COUNT] = {
    [OP_START] = "start",
    [OP_CREATE] = "create",
    [OP_JOIN] = "join",
    [OP_EXIT] = "exit",
    [OP_DETACH] = "detach",
    [OP_LOCK] = "lock",
    [OP_TRYLOCK] = "trylock",
    [OP_TRYLOCK_BUSY] = "trylock-busy",
    [OP_UNLOCK] = "unlock",
    [OP_RDLOCK] = "rdlock",
    [OP_WRLOCK] = "wrlock",
    [OP_WAIT] = "cond-wait",
    [OP_WOKEN] = "woken",
    [OP_TIMEOUT] = "timeout",
    [OP_SPURIOUS] = "spurious-wakeup",
    [OP_SIGNAL] = "signal",
    [OP_BROADCAST] = "broadcast",
    [OP_SEM_WAIT] = "sem-wait",
    [OP_SEM_POST] = "sem-post",
    [OP_BARRIER] = "barrier",
    [OP_ONCE] = "once",
    [OP_YIELD] = "yield",
    [OP_SLEEP] = "sleep",
    [OP_PREEMPT_READ] = "preempted-reading",
    [OP_PREEMPT_WRITE] = "preempted-writing",
    [OP_SPIN] = "spinning",
    [OP_BLOCK] = "blocks",
    [OP_RELEASED] = "released",
};

void rt_report_open(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, REPORT_FD_MIN);
    if (high >= 0) {
        close(fd);
        fd = high;
    }
    ctl.report_fd = fd;
}

static void write_all(const char *buf, size_t len)
{
    int fd = ctl.report_fd;
    for (size_t off = 0; fd >= 0 && off < len;) {
        ssize_t w = write(fd, buf + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (size_t)w;
    }
}

void rt_write(const char *s)
{
    if (ctl.report_fd < 0)
        return;
    size_t len = strlen(s);
    char buf[1024];
    if (len > sizeof buf - 2) { /* a long line (a choice point of many threads): whole, in two writes */
        write_all(s, len);
        write_all("\n", 1);
        return;
    }
    memcpy(buf, s, len);
    buf[len++] = '\n';
    write_all(buf, len);
}

void rt_writef(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    rt_write(line);
}

/* Numbers by hand, for the crash path. */
static char *put_u(char *p, unsigned long long v)
{
    char tmp[24];
    int n = 0;
    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_hex(char *p, unsigned long long v)
{
    static const char digits[] = "0123456789abcdef";
    char tmp[20];
    int n = 0;
    do
        tmp[n++] = digits[v & 15];
    while ((v >>= 4) != 0);
    *p++ = '0';
    *p++ = 'x';
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_s(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

static char *put_pc(char *p, uintptr_t pc)
{
    if (pc && pc >= ctl.exe_lo && pc < ctl.exe_hi)
        return put_hex(put_s(p, "exe+"), pc - ctl.exe_base);
    return put_s(p, "?");
}

/* An address the program accessed: exe+0x... for its globals. */
static char *put_addr(char *p, uintptr_t a)
{
    if (a && a >= ctl.exe_all_lo && a < ctl.exe_all_hi)
        return put_hex(put_s(p, "exe+"), a - ctl.exe_base);
    return put_s(p, "mem");
}

void rt_pcref(uintptr_t pc, char *buf, size_t n)
{
    char tmp[40];
    *put_pc(tmp, pc) = '\0';
    snprintf(buf, n, "%s", tmp);
}

static const char obj_letter[OK_KIND_COUNT] = {[OK_MUTEX] = 'M', [OK_COND] = 'C',    [OK_RWLOCK] = 'R', [OK_SPIN] = 'L',
                                               [OK_SEM] = 'S',   [OK_BARRIER] = 'B', [OK_ONCE] = 'O'};

/* T2:lock:M1, T3:preempted-writing:exe+0x4010 (heap: the raw address,
 * which only this run's other choice points may compare with). */
static char *put_pending(char *p, const Thr *t)
{
    p = put_u(put_s(p, " T"), (unsigned long long)t->id);
    p = put_s(put_s(p, ":"), (unsigned)t->pend_op < OP_COUNT && op_names[t->pend_op] ? op_names[t->pend_op] : "?");
    p = put_s(p, ":");
    if (t->pend_obj) {
        *p++ = obj_letter[t->pend_obj->kind];
        return put_u(p, (unsigned long long)t->pend_obj->id);
    }
    if (t->pend_op == OP_CREATE || t->pend_op == OP_JOIN)
        return put_u(put_s(p, "T"), (unsigned long long)t->pend_arg);
    if (t->pend_op == OP_PREEMPT_READ || t->pend_op == OP_PREEMPT_WRITE || t->pend_op == OP_SPIN) {
        uintptr_t a = (uintptr_t)t->pend_arg;
        if (a && a >= ctl.exe_all_lo && a < ctl.exe_all_hi)
            return put_hex(put_s(p, "exe+"), a - ctl.exe_base);
        return put_hex(p, a);
    }
    return put_s(p, "-");
}

void rt_write_choice(unsigned long k, const Thr *cur, const Thr *chosen, const char *flags, Thr *const *run, int n)
{
    /* every runnable thread, however many: a line of its own size */
    char small[1024];
    size_t need = 96 + (size_t)n * 80;
    char *line = need <= sizeof small ? small : malloc(need);
    if (!line) {
        rt_write("note choices cut: out of memory");
        return;
    }
    char *p = put_u(put_s(line, "cp "), k);
    p = put_u(put_s(p, " "), cur ? (unsigned long long)cur->id : 0);
    p = put_u(put_s(p, " "), (unsigned long long)chosen->id);
    p = put_s(put_s(p, " "), flags);
    for (int i = 0; i < n; i++)
        p = put_pending(p, run[i]);
    *p = '\0';
    rt_write(line);
    if (line != small)
        free(line);
}

void rt_event(Thr *t, int op, Obj *o, uintptr_t pc, long arg)
{
    if (t) { /* what it does next, if it stops here */
        t->pend_op = op;
        t->pend_obj = o;
        t->pend_arg = arg;
    }
    Event *e = &ring[ctl.seq % TRACE_SIZE];
    e->seq = ctl.seq++;
    e->tid = t ? t->id : 0;
    e->op = op;
    e->obj = o;
    e->pc = pc;
    e->arg = arg;
}

/* The trace goes out in blocks, not a write(2) a line: a ring of 4096
 * events was 4096 system calls at every exit. A dump that interrupts
 * another (a crash while dumping) writes its lines one by one. */
static char block[32768];
static size_t block_len;
static volatile sig_atomic_t dumping;

static void put_line(const char *line, bool batched)
{
    size_t len = strlen(line);
    if (!batched) {
        rt_write(line);
        return;
    }
    if (block_len + len + 1 > sizeof block) {
        write_all(block, block_len);
        block_len = 0;
    }
    memcpy(block + block_len, line, len);
    block_len += len;
    block[block_len++] = '\n';
}

void rt_dump_trace(void)
{
    bool batched = !dumping;
    dumping = 1;
    if (batched)
        block_len = 0;
    unsigned long long first = ctl.seq > TRACE_SIZE ? ctl.seq - TRACE_SIZE : 0;
    char line[160];
    char *p = put_u(put_s(line, "trace "), ctl.seq - first);
    p = put_u(put_s(p, " of "), ctl.seq);
    *p = '\0';
    put_line(line, batched);
    for (unsigned long long s = first; s < ctl.seq; s++) {
        const Event *e = &ring[s % TRACE_SIZE];
        p = put_u(put_s(line, "ev "), e->seq);
        p = put_u(put_s(p, " T"), (unsigned long long)e->tid);
        p = put_s(put_s(p, " "), (unsigned)e->op < OP_COUNT && op_names[e->op] ? op_names[e->op] : "?");
        p = put_s(p, " ");
        if (e->obj) {
            *p++ = obj_letter[e->obj->kind];
            p = put_u(p, (unsigned long long)e->obj->id);
        } else if (e->op == OP_CREATE || e->op == OP_JOIN) {
            p = put_u(put_s(p, "T"), (unsigned long long)e->arg);
        } else if (e->op == OP_PREEMPT_READ || e->op == OP_PREEMPT_WRITE || e->op == OP_SPIN) {
            p = put_addr(p, (uintptr_t)e->arg);
        } else {
            p = put_s(p, "-");
        }
        p = put_pc(put_s(p, " "), e->pc);
        *p = '\0';
        put_line(line, batched);
    }
    if (batched) {
        write_all(block, block_len);
        block_len = 0;
        dumping = 0;
    }
}

void rt_backtrace_warmup(void)
{
    void *frames[2];
    backtrace(frames, 2); /* loads libgcc's unwinder now, not inside a wait */
}

uintptr_t rt_caller_pc(uintptr_t direct)
{
    if (direct >= ctl.exe_lo && direct < ctl.exe_hi)
        return direct - 1; /* the call instruction, not the one after it */
    void *frames[24];
    int n = backtrace(frames, 24);
    for (int i = 1; i < n; i++) {
        uintptr_t pc = (uintptr_t)frames[i];
        if (pc >= ctl.exe_lo && pc < ctl.exe_hi)
            return pc - 1;
    }
    return 0;
}
