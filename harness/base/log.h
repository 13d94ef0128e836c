/* Messages from racelab itself go to stderr, prefixed "racelab: ". */
#ifndef RACELAB_LOG_H
#define RACELAB_LOG_H

void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage or setup error: the message, then exit status 2. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
