/* The one reader of /proc for the watchers (tasks.c, stuck.c) and the
 * runner (proc.c): the threads of a process (the only walker of
 * /proc/PID/task), the processes of the system, a thread's children, and
 * the files of a process or of one of its threads. Anything that cannot
 * be read (a process that ended, a file we may not read) reads as absent:
 * false, or an empty list. */
#ifndef RACELAB_PROCFS_H
#define RACELAB_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct {
    pid_t *v;
    size_t n, cap;
} PidList;

void pidlist_free(PidList *l);

/* Every thread of `pid` (its /proc/PID/task), in the directory's order,
 * into out (emptied first); false if the directory cannot be read. */
bool procfs_threads(pid_t pid, PidList *out);
/* Every process on the system (/proc's numbered entries), into out. */
bool procfs_processes(PidList *out);
/* The children of thread `tid` of `pid`, appended to out: the first of
 * them, as many as a 256-byte read of its children file holds. */
void procfs_children(pid_t pid, pid_t tid, PidList *out);
/* Every file descriptor `pid` has open (/proc/PID/fd), into out. */
bool procfs_fds(pid_t pid, PidList *out);

/* /proc/PID/NAME, or /proc/PID/task/TID/NAME, into buf (at most size - 1
 * bytes, NUL-terminated); false if it cannot be read. */
bool procfs_read(pid_t pid, const char *name, char *buf, size_t size);
bool procfs_thread_read(pid_t pid, pid_t tid, const char *name, char *buf, size_t size);
/* /proc/PID/NAME opened for reading line by line (maps); NULL if not. */
FILE *procfs_open(pid_t pid, const char *name);
/* What /proc/PID/exe or /proc/PID/fd/FD links to, into buf; false if
 * it cannot be read. */
bool procfs_exe(pid_t pid, char *buf, size_t size);
bool procfs_fd_target(pid_t pid, int fd, char *buf, size_t size);
/* The device and inode of the program `pid` runs; false if not known. */
bool procfs_exe_id(pid_t pid, unsigned long long *dev, unsigned long long *ino);

/* The fields of a stat line after the command (which may hold spaces
 * and parentheses): "S 1 2 ...", the state letter first; NULL if the
 * line has no command. */
const char *procfs_stat_fields(const char *stat);
/* The state letter of a process's or a thread's stat line ('R', 'S', ...),
 * or 0 if it is not there. */
char procfs_stat_state(const char *stat);

#endif
