#!/bin/sh
# No function over MAX_FN lines and no file over MAX_FILE lines in the C
# sources under DIR: a file read in one sitting, a function on a screen or
# two. Function extents come from Universal Ctags (its `end` field).
#   sizes.sh CTAGS DIR [MAX_FN [MAX_FILE]]
set -eu
ctags=$1 dir=$2 max_fn=${3:-120} max_file=${4:-500}
cd "$dir"
files=$(find . -type f \( -name '*.c' -o -name '*.h' -o -name '*.c.in' \) | sed 's|^\./||' | LC_ALL=C sort)
[ -n "$files" ] || { echo "sizes.sh: no C sources under $dir" >&2; exit 2; }
tags=$(mktemp)
trap 'rm -f "$tags"' EXIT
# (the sources' names hold no blanks: split on purpose)
# shellcheck disable=SC2086
"$ctags" -x --language-force=C --c-kinds=f --fields=+ne --_xformat='%F %n %e %N' $files > "$tags" ||
    { echo "sizes.sh: $ctags failed (Universal Ctags is needed: apt-get install universal-ctags)" >&2; exit 2; }
bad=0
# shellcheck disable=SC2086
wc -l $files | awk -v max="$max_file" '
    $2 != "total" { if ($1 > big) { big = $1; name = $2 }
                    if ($1 > max) { printf "%s: %d lines (at most %d)\n", $2, $1, max; bad++ } }
    END { printf "largest file: %s, %d lines\n", name, big; exit bad > 0 }' || bad=1
awk -v max="$max_fn" '
    $3 ~ /^[0-9]+$/ { n = $3 - $2 + 1
                      if (n > big) { big = n; name = $1 ":" $2 " " $4 }
                      if (n > max) { printf "%s:%d: %s is %d lines (at most %d)\n", $1, $2, $4, n, max; bad++ } }
    END { printf "largest function: %s, %d lines\n", name, big; exit bad > 0 }' "$tags" || bad=1
exit $bad
