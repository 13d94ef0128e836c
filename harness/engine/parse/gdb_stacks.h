/* Reads gdb's `thread apply all bt` of a hung program and says, per
 * thread, what it waits for and where in the program's own code. */
#ifndef RACELAB_GDB_STACKS_H
#define RACELAB_GDB_STACKS_H

/* "thread 3: waits to lock 'a' at deadlocks.c:55 (in ba)" lines, or NULL
 * if the text holds no thread. */
char *hang_summary(const char *gdb_output);

#endif
