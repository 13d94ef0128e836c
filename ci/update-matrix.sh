#!/bin/sh
# Regenerates the detection matrix from real runs of the lab:
#   ci/update-matrix.sh [BUILD_DIR] [REPEAT] [MATRIX_FILE]
# docs/benchmarks.md gets racelab's own output (`racelab matrix --markdown
# --repeat REPEAT`) under a line naming the commit and the machine it was
# measured on; README gets the same run's verdicts, one row per case (its
# buggy program), and a line for the fixed programs. Nothing between the
# markers is typed. MATRIX_FILE: the saved output of such a run, instead
# of running it again; then RACELAB_MATRIX_STAMP must say where and when
# it was measured ("at commit C on DATE: MACHINE").
set -eu
build=${1:-build}
repeat=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp)
trap 'rm -f "$out" "$out.readme"' EXIT
if [ -n "${3:-}" ]; then
  [ -n "${RACELAB_MATRIX_STAMP:-}" ] || { echo "update-matrix: a saved matrix needs RACELAB_MATRIX_STAMP" >&2; exit 2; }
  cp "$3" "$out"
  stamp=$RACELAB_MATRIX_STAMP
else
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git -C "$root" diff --quiet HEAD -- cases fixed harness CMakeLists.txt cmake 2>/dev/null || commit="$commit plus uncommitted changes"
  # shellcheck disable=SC1091 # the machine's own
  os=$(. /etc/os-release && echo "$PRETTY_NAME")
  machine="$(nproc) cores, $os, kernel $(uname -r), clang $(clang -dumpversion), $(valgrind --version), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
  started=$(date -u +%Y-%m-%d)
  "$build/racelab" matrix --markdown --repeat "$repeat" --root "$root" > "$out"
  stamp="at commit $commit on $started: $machine"
fi

# README: per case, the buggy row's verdict under each tool, no counts.
awk -F' [|] ' '
  /^[|] case [|]/ { print "| case | tsan | helgrind | drd | memcheck | explore | native |"; print "|---|---|---|---|---|---|---|"; next }
  /^[|]---/ { next }
  /^[|]/ {
    n = split($0, c, " [|] "); sub(/^[|] /, "", c[1]); sub(/ [|]$/, "", c[n])
    if (c[2] == "buggy") {
      row = "| " c[1]
      for (i = 3; i <= n; i++) { split(c[i], w, " "); row = row " | " w[1] }
      print row " |"; cases++
    } else if (c[2] == "fixed") {
      for (i = 3; i <= n; i++) { split(c[i], w, " "); cells++; if (w[1] == "CLEAN") clean++ }
    }
  }
  END { printf "\nEvery fixed program: CLEAN in %d of its %d cells (%d cases).\n", clean, cells, cases }
' "$out" > "$out.readme"

# replace FILE BEGIN END TEXTFILE [STAMP]: what is between the markers
replace() {
  awk -v file="$4" -v stamp="${5:-}" -v begin="$2" -v end="$3" '
    index($0, begin) == 1 { print; if (stamp != "") print "Measured " stamp ".\n"; while ((getline line < file) > 0) print line; skip = 1; next }
    index($0, end) == 1 { skip = 0 }
    !skip
  ' "$1" > "$1.new"
  grep -q "$2" "$1.new" || { rm -f "$1.new"; echo "update-matrix: no $2 in $1" >&2; exit 1; }
  mv "$1.new" "$1"
}
replace "$root/docs/benchmarks.md" "<!-- matrix:begin -->" "<!-- matrix:end -->" "$out" "$stamp"
replace "$root/README.md" "<!-- matrix:begin -->" "<!-- matrix:end -->" "$out.readme"
echo "docs/benchmarks.md, README.md: matrix updated ($repeat run(s) per cell; measured $stamp)"
