#!/bin/sh
# install_test.sh BUILD_DIR OUT: `cmake --install` into OUT, then the
# installed racelab, run from elsewhere, must find its lab (the cases under
# OUT/share/racelab, not the source tree) and run a case of it.
set -eu
BUILD=$1
OUT=$2
rm -rf "$OUT"
cmake --install "$BUILD" --prefix "$OUT/prefix" >/dev/null
cd "$OUT"
RL="$OUT/prefix/bin/racelab"
"$RL" list >list.txt
grep -q "^lost_update (class lost-update): $OUT/prefix/share/racelab/cases/lost_update.c" list.txt ||
    { echo "FAIL: the installed racelab does not read its installed lab:"; cat list.txt; exit 1; }
"$RL" run lost_update buggy tsan --work-dir "$OUT/work" >run.txt ||
    { echo "FAIL: the installed racelab cannot run a case:"; cat run.txt; exit 1; }
grep -q "lost_update.buggy.tsan: DETECTED (as expected)" run.txt || { cat run.txt; exit 1; }
echo "installed racelab runs its own lab"
