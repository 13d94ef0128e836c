#!/bin/sh
# Regenerates README's detection matrix from real runs of the lab:
#   ci/update-readme.sh [BUILD_DIR] [REPEAT] [MATRIX_FILE]
# MATRIX_FILE: the saved output of `racelab matrix --markdown --repeat N`,
# instead of running it again. The matrix between the markers is racelab's
# own output, never typed.
set -eu
build=${1:-build}
repeat=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if [ -n "${3:-}" ]; then
  cp "$3" "$out"
else
  "$build/racelab" matrix --markdown --repeat "$repeat" --root "$root" > "$out"
fi
awk -v file="$out" '
  /<!-- matrix:begin -->/ { print; while ((getline line < file) > 0) print line; skip = 1; next }
  /<!-- matrix:end -->/ { skip = 0 }
  !skip
' "$root/README.md" > "$root/README.md.new"
mv "$root/README.md.new" "$root/README.md"
echo "README.md: matrix updated ($repeat run(s) per cell)"
