#!/bin/sh
# Regenerates README's detection matrix from real runs of the lab:
#   ci/update-readme.sh [BUILD_DIR] [REPEAT]
# The matrix between the markers is racelab's own output, never typed.
set -eu
build=${1:-build}
repeat=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$build/racelab" matrix --markdown --repeat "$repeat" --root "$root" > "$out"
awk -v file="$out" '
  /<!-- matrix:begin -->/ { print; while ((getline line < file) > 0) print line; skip = 1; next }
  /<!-- matrix:end -->/ { skip = 0 }
  !skip
' "$root/README.md" > "$root/README.md.new"
mv "$root/README.md.new" "$root/README.md"
echo "README.md: matrix updated ($repeat run(s) per cell)"
