#!/bin/sh
# Benchmarks of explore (README's numbers; not a test): for each case,
# `racelab measure` (plain native runs against explore's schedules at the
# case's own inputs, seeds to the first finding, replays, the fixed
# program's seeds); the same for our programs of the classes no detector
# sees; and what a synchronisation event and an instrumented access cost.
#   ci/bench-explore.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
RL=$B/racelab
W=$(mktemp -d /tmp/racelab-bench-explore.XXXXXX)
trap 'rm -rf "$W"' EXIT

echo "## racelab measure (runs 200, seeds 500, replays 100, fixed seeds 1000)"
echo "| case | plain native: bug | explore: bug per schedule | seeds to 1st (median) | 1st within 10 seeds | replays identical | fixed: findings | median run: plain / explore |"
echo "|---|---|---|---|---|---|---|---|"
for c in $(ls cases/*.c | xargs -n1 basename | sed 's/\.c$//'); do
    "$RL" measure "$c" --runs 200 --seeds 500 --replays 100 --fixed-seeds 1000 --markdown --work-dir "$W"
done

echo
echo "## our programs of the classes no detector sees: schedules (of 200) with a finding"
for p in cv_if check_act one_cv; do
    found=0
    for s in $(seq 1 200); do
        if "$RL" check "tests/explore/$p.c" --tools explore --seed "$s" -q --work-dir "$W" >/dev/null 2>&1; then :; else
            [ $? -eq 1 ] && found=$((found + 1))
        fi
    done
    echo "- $p: $found/200"
done

echo
echo "## cost: sync_loop, 10^6 events, median of 5"
RT=$B/runtime
clang -fsanitize=thread -fno-sanitize-link-runtime -g -O0 tests/bench/sync_loop.c -L"$RT" -Wl,-rpath,"$RT" \
    -lracelab-explore -o "$W/sync_explore"
gcc -g -O0 -pthread tests/bench/sync_loop.c -o "$W/sync_native"
med5() { # median wall seconds of 5 runs of "$@"
    for i in 1 2 3 4 5; do
        s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
        echo "$e - $s" | bc -l
    done | sort -n | sed -n 3p
}
for what in lock atomic; do
    n=$(med5 "$W/sync_native" 1000000 "$what")
    e=$(med5 env RACELAB_EXPLORE_SEED=1 RACELAB_EXPLORE_REPORT="$W/r.log" "$W/sync_explore" 1000000 "$what")
    per=$(echo "($e - $n) * 1000000000 / 2000000" | bc -l) # two events a round: lock+unlock, or two threads
    printf -- "- %s: plain %.3f s, explore %.3f s: %.0f ns more per %s\n" "$what" "$n" "$e" "$per" \
        "$( [ "$what" = lock ] && echo 'lock or unlock' || echo 'atomic increment (2 threads)')"
done
