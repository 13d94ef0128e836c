/* A clean stop. racelab records what it starts and makes while it works
 * (each run's process group, the cgroups it creates, its scratch
 * directories, its pool workers); on SIGINT, SIGTERM or SIGHUP it kills
 * and reaps every run (and whatever left a run's group: it is a child
 * subreaper, and every run's environment carries a token), stops its
 * workers, removes the cgroups and directories, and then dies of the same
 * signal. A guard process started with stop_install() does the same if
 * racelab is killed with SIGKILL: it holds a socket racelab writes the
 * records to, and cleans up what is still recorded when that closes.
 * Without stop_install() (unit tests) the records are kept, nothing more. */
#ifndef RACELAB_STOP_H
#define RACELAB_STOP_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* Handlers for SIGINT, SIGTERM and SIGHUP, and the guard. */
void stop_install(void);

/* The name and value of the variable each run's environment carries:
 * "RACELAB_STOP_TOKEN=PID.NANOSECONDS" (unique to this racelab). */
const char *stop_token_env(void);

/* What there is to clean up, from the moment it exists. */
void stop_watch_group(pid_t pgid);
void stop_unwatch_group(pid_t pgid);
void stop_watch_dir(const char *path);
void stop_unwatch_dir(const char *path);
void stop_watch_cgroup(const char *dir);
void stop_unwatch_cgroup(const char *dir);
void stop_watch_worker(pid_t pid);
void stop_unwatch_worker(pid_t pid);

/* Processes of racelab's own that a sweep of its children must spare:
 * the guard and the pool workers. */
bool stop_spares(pid_t pid);

/* In a child just forked to work for racelab (a pool worker): its own
 * records start empty; it dies with its parent (SIGTERM). */
void stop_in_worker(void);

/* Signals to hold off while a child is forked and recorded (the child
 * resets them): sigprocmask(SIG_BLOCK, stop_signals(), &old). */
const sigset_t *stop_signals(void);

/* At the end of a command that finished: stops at once if asked to, else
 * lets the guard go (and reaps it). */
void stop_finish(void);

/* Whether a stop was asked for; stop_poll() stops now if it was (it does
 * not return then). Called wherever racelab waits. */
bool stop_requested(void);
void stop_poll(void);

#endif
