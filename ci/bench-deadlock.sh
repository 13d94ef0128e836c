#!/bin/sh
# Time to DEADLOCK: `racelab check tests/gate/vg_deadlock.c` (a real a/b
# deadlock) under each tool alone, median of N runs, printed with the
# commit and the machine for docs/tools.md. Before the 0.6 s check ran
# under Valgrind, each Valgrind tool waited for its 60 s limit. Not a test.
#   ci/bench-deadlock.sh [BUILD_DIR] [N]
set -u
build=${1:-build}
n=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
prog=$root/tests/gate/vg_deadlock.c
racelab=$build/racelab
median() { sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }'; }
now() { date +%s.%N; }

echo "commit $(git -C "$root" rev-parse --short HEAD), $(nproc) cores, $(uname -sr), $(date -u +%F)"
for tool in tsan helgrind drd memcheck explore; do
    times=""
    verdict=""
    i=0
    while [ $i -lt "$n" ]; do
        t0=$(now)
        "$racelab" check "$prog" --tools $tool --timeout 60 >"${TMPDIR:-/tmp}/bench-deadlock.out" 2>&1
        t1=$(now)
        times="$times $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
        verdict=$(sed -n "s/^$tool: \([A-Z][A-Z]*\).*/\1/p;s/^$tool: \(1 finding\).*/\1/p" "${TMPDIR:-/tmp}/bench-deadlock.out" | head -1)
        i=$((i + 1))
    done
    echo "$tool: $(echo "$times" | tr ' ' '\n' | grep . | median) s median of $n ($verdict)"
done
rm -f "${TMPDIR:-/tmp}/bench-deadlock.out"
