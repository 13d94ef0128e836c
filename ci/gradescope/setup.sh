#!/usr/bin/env bash
# Gradescope autograder setup: runs once, as root, when Gradescope builds
# the autograder image. Installs what racelab needs and builds it from the
# copy of the lab in this zip (racelab/). See docs/grade.md.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  cmake make gcc clang valgrind gdb bubblewrap util-linux binutils \
  libexpat1-dev libjansson-dev pkg-config ca-certificates
# Debian 12 ships clang's sanitizer runtimes apart; Ubuntu has them in clang.
apt-get install -y -qq --no-install-recommends libclang-rt-dev 2>/dev/null || true
src=/autograder/source/racelab
cmake -S "$src" -B /autograder/racelab-build -DCMAKE_BUILD_TYPE=Release
cmake --build /autograder/racelab-build -j"$(nproc)" --target racelab
# Fails here, at setup, rather than on every student's submission.
/autograder/racelab-build/racelab grade --check-sandbox ||
  echo "setup: no sandbox here; run_autograder refuses to grade unless the zip was made with --no-sandbox"
