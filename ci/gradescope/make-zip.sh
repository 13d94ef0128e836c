#!/bin/sh
# Makes the zip to upload to a Gradescope programming assignment:
#   ci/gradescope/make-zip.sh CASE [--no-sandbox] [OUT.zip]
# It holds setup.sh and run_autograder at its root, case.txt, and a copy of
# the lab (racelab/: the harness, the cases and fixes, ci/install-deps.sh)
# that setup.sh builds, without racelab's own tests (setup.sh builds with
# -DBUILD_TESTING=OFF). See docs/grade.md; tests/gradescope/ tests the zip.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 CASE [--no-sandbox] [OUT.zip]" >&2; exit 2; }
case_name=$1; shift
no_sandbox=
if [ "${1:-}" = --no-sandbox ]; then no_sandbox=1; shift; fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$PWD/racelab-autograder-$case_name.zip}
[ -f "$root/cases/$case_name.c" ] || { echo "make-zip: no case $root/cases/$case_name.c" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/racelab" "$tmp/racelab/ci"
cp -R "$root/CMakeLists.txt" "$root/cmake" "$root/harness" "$root/cases" "$root/fixed" "$tmp/racelab/"
cp "$root/ci/install-deps.sh" "$tmp/racelab/ci/"
cp "$here/setup.sh" "$here/run_autograder" "$tmp/"
chmod +x "$tmp/setup.sh" "$tmp/run_autograder"
echo "$case_name" > "$tmp/case.txt"
[ -z "$no_sandbox" ] || touch "$tmp/no-sandbox"
rm -f "$out"
# shellcheck disable=SC2046 # the optional marker file is meant to vanish when empty
(cd "$tmp" && cmake -E tar cf "$out" --format=zip setup.sh run_autograder case.txt racelab $([ -z "$no_sandbox" ] || echo no-sandbox))
echo "make-zip: $out (case $case_name${no_sandbox:+, without the sandbox})"
