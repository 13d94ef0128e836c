#!/bin/sh
# Benchmarks of `racelab grade` for README (not tests):
#   ci/bench-grade.sh [BUILD_DIR] [HANDOUT_RUNS]
# 1. every case's handout graded HANDOUT_RUNS times (default 10): how often
#    it scores at most 10 (compiling only) and fails the explore item;
# 2. the grade time of every case's reference fix (the median of the
#    handouts' and fixes' grades, one at a time, a warm lab cache);
# 3. the wall time of a batch of 100 submissions on every core: the
#    lost_update corpus repeated.
set -eu
build=${1:-build}
n=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
racelab="$build/racelab"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m }'; }

echo "| case | handout graded | score <= 10 | explore failed | fix: score, median s |"
echo "|---|---|---|---|---|"
all_times=""
for src in "$root"/cases/*.c; do
  case=$(basename "$src" .c)
  low=0 failed=0
  for i in $(seq "$n"); do
    "$racelab" grade "$case" "$src" --format json --root "$root" --work-dir "$work" -o "$work/g.json" > /dev/null || true
    read -r score explore seconds <<EOF
$(python3 -c "import json; g = json.load(open('$work/g.json')); print(g['score'], [i['status'] for i in g['items'] if i['id'] == 'explore'][0], round(g['seconds'], 1))")
EOF
    [ "$score" -le 10 ] && low=$((low + 1))
    [ "$explore" = failed ] && failed=$((failed + 1))
    all_times="$all_times $seconds"
  done
  fix_times="" fix_score=""
  for i in 1 2 3; do
    "$racelab" grade "$case" "$root/fixed/$case.c" --format json --root "$root" --work-dir "$work" -o "$work/g.json" > /dev/null || true
    fix_score=$(python3 -c "import json; print(json.load(open('$work/g.json'))['score'])")
    t=$(python3 -c "import json; print(round(json.load(open('$work/g.json'))['seconds'], 1))")
    fix_times="$fix_times $t"
    all_times="$all_times $t"
  done
  echo "| $case | $n | $low/$n | $failed/$n | $fix_score, $(echo "$fix_times" | tr ' ' '\n' | grep . | median) |"
done
echo
echo "grade time, every grade above: median $(echo "$all_times" | tr ' ' '\n' | grep . | median) s"

mkdir -p "$work/batch"
i=0
while [ "$i" -lt 100 ]; do
  for f in "$root"/tests/grade/lost_update/*.c; do
    [ "$i" -lt 100 ] || break
    cp "$f" "$work/batch/$(printf %03d "$i")_$(basename "$f")"
    i=$((i + 1))
  done
done
t0=$(date +%s.%N)
"$racelab" grade lost_update --batch "$work/batch" --out "$work/out" --root "$root" --work-dir "$work" > /dev/null 2>&1 || true
t1=$(date +%s.%N)
echo "a batch of 100 lost_update submissions on $(nproc) cores: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s wall"
