#!/bin/sh
# Re-records the TSan logs in this folder from the programs in src/ (run by
# hand, not by the tests; review the diff of each .expected afterwards):
#   tests/reports/record-tsan.sh [CLANG]
# Each log is TSan's real output for one program, as racelab's runs set it.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
CLANG=${1:-clang}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
record() { # record PROGRAM LOGNAME
    "$CLANG" -fsanitize=thread -g -O1 -pthread "$HERE/src/$1.c" -o "$TMP/$1"
    rm -f "$TMP/log".*
    TSAN_OPTIONS="log_path=$TMP/log:exitcode=0:atexit_sleep_ms=0:detect_deadlocks=1:second_deadlock_stack=1:report_signal_unsafe=1" \
        timeout 10 "$TMP/$1" >/dev/null 2>&1 || true
    for f in "$TMP/log".*; do
        case $2 in
        */) mkdir -p "$HERE/$2" && cp "$f" "$HERE/$2tsan.${f##*.}" ;;
        *) cp "$f" "$HERE/$2" ;;
        esac
    done
}
record destroylocked tsan-destroy-locked.log
record doublelock tsan-double-lock.log
record errno tsan-errno-in-handler.log
record invalid tsan-invalid-mutex.log
record longcycle tsan-long-cycle.log
record manylocks tsan-check-failed-hang.log
record rdunlock tsan-read-unlock.log
record rwmisuse tsan-read-lock.log
record sigunsafe tsan-signal-unsafe.log
record stackrace tsan-stack-race.log
record uaf tsan-use-after-free.log
record unlockunlocked tsan-unlock-unlocked.log
record leak tsan-thread-leak.log
rm -rf "$HERE/fork" && record forkafter fork/
# a damaged copy: the destroy report cut off before its SUMMARY
head -c 700 "$HERE/tsan-destroy-locked.log" >"$HERE/tsan-destroy-locked-cut.log"
