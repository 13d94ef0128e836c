#!/bin/sh
# The gate's cost against the same tools run by hand (docs/check.md):
# `racelab check tests/gate/racy.c`, median of N runs, with a warm build
# cache and an empty one, against compiling it and running TSan, Helgrind,
# DRD and memcheck bare, one after the other. Not a test.
#   ci/bench-check.sh [BUILD_DIR] [N]
set -u
build=${1:-build}
n=${2:-3}
src=$(cd "$(dirname "$0")/.." && pwd)/tests/gate/racy.c
racelab=$build/racelab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

bare_build() {
    clang -fsanitize=thread -g -O1 -pthread "$src" -o "$tmp/racy-tsan"
    gcc -g -O0 -pthread "$src" -o "$tmp/racy"
}
bare_runs() {
    TSAN_OPTIONS=atexit_sleep_ms=0 "$tmp/racy-tsan" >/dev/null 2>&1
    for tool in helgrind drd; do
        valgrind --tool=$tool --fair-sched=try --xml=yes --xml-file="$tmp/$tool.xml" "$tmp/racy" >/dev/null 2>&1
    done
    valgrind --tool=memcheck --leak-check=full --xml=yes --xml-file="$tmp/memcheck.xml" "$tmp/racy" >/dev/null 2>&1
}
# time_of N COMMAND...: the median wall time of N runs
time_of() {
    k=$1
    shift
    ts=""
    for _ in $(seq "$k"); do
        t0=$(now)
        "$@"
        ts="$ts $(since "$t0")"
    done
    echo "$ts" | tr ' ' '\n' | grep . | median
    echo "  (runs:$ts)" >&2
}
cold() { rm -rf "$tmp/w"; "$racelab" check "$src" --work-dir "$tmp/w" --tools "$1" -q >/dev/null; }
warm() { "$racelab" check "$src" --work-dir "$tmp/w" --tools "$1" -q >/dev/null; }
four=tsan,helgrind,drd,memcheck
five=$four,explore

bare_all() { bare_build && bare_runs; }
cold4() { cold $four; }
warm4() { warm $four; }
cold5() { cold $five; }
warm5() { warm $five; }

echo "median of $n runs, seconds:"
b_runs=$(bare_build >/dev/null && time_of "$n" bare_runs)
echo "bare runs of the four tools (built): $b_runs"
b_all=$(time_of "$n" bare_all)
echo "bare build + runs of the four tools: $b_all"
c4=$(time_of "$n" cold4)
echo "racelab check --tools $four, empty cache: $c4"
w4=$(time_of "$n" warm4)
echo "racelab check --tools $four, warm cache: $w4"
c5=$(time_of "$n" cold5)
echo "racelab check (all five tools), empty cache: $c5"
w5=$(time_of "$n" warm5)
echo "racelab check (all five tools), warm cache: $w5"
awk -v c4="$c4" -v w4="$w4" -v ba="$b_all" -v br="$b_runs" 'BEGIN {
    printf "ratio, four tools: empty cache %.2f (vs bare build + runs), warm cache %.2f (vs bare runs)\n", c4 / ba, w4 / br }'
