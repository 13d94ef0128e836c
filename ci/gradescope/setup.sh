#!/usr/bin/env bash
# Gradescope autograder setup: runs once, as root, when Gradescope builds
# the autograder image. Installs what racelab needs (the zip's copy of
# ci/install-deps.sh --runtime: compilers, Valgrind, gdb, bubblewrap) and
# builds racelab from the copy of the lab in this zip (racelab/), without
# racelab's own tests, which need more and are not in the zip. See
# docs/grade.md; tests/gradescope/ runs this in an emulated autograder.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
src=/autograder/source/racelab
build=/autograder/racelab-build
sh "$src/ci/install-deps.sh" --runtime
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
cmake --build "$build" -j"$(nproc)" # racelab and the explore runtime it links into programs
# Fails here, at setup, rather than on every student's submission.
"$build/racelab" grade --check-sandbox ||
  echo "setup: no sandbox here; run_autograder refuses to grade unless the zip was made with --no-sandbox"
