#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void vwarn(const char *fmt, va_list ap)
{
    fputs("racelab: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void warnf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
    exit(2);
}
