#!/bin/sh
# explore's bounded search against its random schedules, per lab case, at
# the case's verify: inputs (docs/explore.md). For each buggy program: the
# fewest preemptions that show the bug, the schedules run to find it, the
# counterexample's choice points; beside it, random mode's schedules to
# the first finding (100 seeds at most). For each fix: the schedules and
# the time to verify bound 1 and bound 2. Not a test.
#   ci/bench-systematic.sh [BUILD_DIR] [CASE...]
# (RUNS caps the schedules of each search: default 1500)
set -u
build=${1:-build}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/.." && pwd)
racelab=$build/racelab
cases=${*:-$(cd "$root/cases" && ls *.c | sed 's/\.c$//')}
cap=${RUNS:-1500}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
inputs() { sed -n 's/^ \*   verify: *//p' "$root/cases/$1.c"; }
params() { for p in $(inputs "$1"); do printf -- '--param %s ' "$p"; done; }

echo "commit $(git -C "$root" rev-parse --short HEAD), $(nproc) cores, $(uname -sr), $(date -u +%F)"
echo "| case | inputs | bug: preemptions | schedules | choice points | random: schedule of first finding | fix: bound 1 | fix: bound 2 |"
echo "|---|---|---|---|---|---|---|---|"
for c in $cases; do
    # shellcheck disable=SC2046
    b=$("$racelab" run "$c" buggy explore --bound 3 --seeds "$cap" $(params "$c") 2>&1 | sed -n 2p)
    pre=$(printf '%s' "$b" | sed -n 's/.*found with \([0-9]*\) preemption.*/\1/p')
    runs=$(printf '%s' "$b" | sed -n 's/.* \([0-9]*\) schedules run.*/\1/p')
    cps=$(printf '%s' "$b" | sed -n "s/.*of \([0-9]*\) choice points.*/\1/p")
    [ -n "$pre" ] || { pre="not found"; runs=$(printf '%s' "$b" | sed -n 's/.*: \([0-9]*\) schedules of bound.*/\1/p'); cps="-"; }
    # shellcheck disable=SC2046
    r=$("$racelab" run "$c" buggy explore --seeds 100 $(params "$c") 2>&1 | sed -n 's/.*schedule \([0-9]*\) of 100.*/\1/p' | head -1)
    fix=""
    for k in 1 2; do
        t0=$(now)
        # shellcheck disable=SC2046
        f=$("$racelab" run "$c" fixed explore --bound $k --seeds "$cap" $(params "$c") 2>&1 | sed -n 2p)
        t1=$(now)
        n=$(printf '%s' "$f" | sed -n 's/.*(\([0-9]*\) run.*/\1/p;s/.*: \([0-9]*\) schedules of bound.*/\1/p' | head -1)
        what=$(printf '%s' "$f" | sed -n 's/^ *\(verified: every schedule at these\).*/every schedule/p;s/^ *verified: every schedule with.*/verified/p;s/^ *\(not complete\).*/not complete/p;s/^ *\(found\).*/FOUND/p' | head -1)
        fix="$fix | ${what:-?} ${n:-?} in $(secs "$t0" "$t1") s"
    done
    echo "| $c | $(inputs "$c") | $pre | ${runs:-?} | $cps | ${r:-not in 100} $fix |"
done
