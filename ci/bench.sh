#!/bin/sh
# Benchmarks for README (not tests): median wall time of the whole lab
# (ctest -L race) over N runs, and each tool's median time per lab run.
#   ci/bench.sh [BUILD_DIR] [N]
set -eu
build=${1:-build}
n=${2:-3}
jobs=$(nproc)
median() { sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m }'; }

echo "ctest -L race -j$jobs, $n runs:"
times=""
for _ in $(seq "$n"); do
  t0=$(date +%s.%N)
  ctest --test-dir "$build" -L race -j"$jobs" > /dev/null
  t1=$(date +%s.%N)
  times="$times $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
done
echo "  wall seconds:$times; median $(echo "$times" | tr ' ' '\n' | grep . | median) s"

echo "one lab run (build cached), median of 10, per tool and variant (lost_update):"
for tool in tsan helgrind drd memcheck native; do
  for variant in buggy fixed; do
    "$build/racelab" run lost_update "$variant" "$tool" --repeat 10 | tail -1 | sed 's/^/  /'
  done
done
