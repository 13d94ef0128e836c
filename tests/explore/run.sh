#!/bin/sh
# run.sh RACELAB PROGRAM.c WORK: `racelab check --tools explore` on one
# program, which says in its first comment what it must get:
#     check-expect: EXIT REGEX
# the exit status, and an extended regex that the output (its lines joined
# with spaces) must match. The programs are ours, in many styles: bugs no
# race detector sees, and safe code that must come out clean.
set -u
RACELAB=$1
PROG=$2
WORK=$3
line=$(sed -n 's/^ \* check-expect: //p' "$PROG" | head -1)
[ -n "$line" ] || { echo "FAIL: $PROG has no check-expect: line"; exit 1; }
want_exit=${line%% *}
regex=${line#* }
out=$("$RACELAB" check "$PROG" --tools explore --work-dir "$WORK" 2>&1)
got=$?
flat=$(printf '%s' "$out" | tr '\n' ' ')
if [ "$got" -ne "$want_exit" ]; then
    printf 'FAIL: exit %s, want %s\n%s\n' "$got" "$want_exit" "$out"
    exit 1
fi
if ! printf '%s' "$flat" | grep -Eq -- "$regex"; then
    printf 'FAIL: the output does not match /%s/\n%s\n' "$regex" "$out"
    exit 1
fi
printf '%s\n' "$out"
