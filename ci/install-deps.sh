#!/bin/sh
# Installs what racelab needs on Debian 12 (--runtime: also on Ubuntu 22.04,
# Gradescope's image): as root, or through sudo when run by another user (a
# fresh root shell often has no sudo at all). CMake checks each of these again and names the package if
# one is missing.
#   ci/install-deps.sh             racelab and its own tests (README's first command)
#   ci/install-deps.sh --runtime   racelab only: building it with -DBUILD_TESTING=OFF,
#                                  `racelab check` and `racelab grade` (Gradescope's setup.sh)
# racelab's own tests also need Python's jsonschema, Microsoft's SARIF
# multitool (npm; a .NET program that needs libicu), installed at the
# version the tests were written against, and mmdebstrap (the Gradescope
# test builds a Debian root with it).
set -eu
runtime_only=0
case "$*" in
  "") ;;
  --runtime) runtime_only=1 ;;
  *) echo "usage: $0 [--runtime]" >&2; exit 2 ;;
esac
# g++ and clang++ (in clang) build C++ programs for `racelab check`;
# binutils (nm, addr2line, c++filt) and util-linux (prlimit) are its helpers.
PACKAGES="
  cmake make gcc g++ binutils util-linux clang
  valgrind gdb bubblewrap
  libexpat1-dev libjansson-dev libelf-dev libxxhash-dev pkg-config
"
# Debian 12 ships clang's sanitizer runtimes apart (libclang-rt-dev);
# Ubuntu 22.04's clang carries them and has no such package.
OPTIONAL=libclang-rt-dev
TEST_PACKAGES="python3 python3-jsonschema libicu72 mmdebstrap universal-ctags"
MULTITOOL=@microsoft/sarif-multitool@5.7.0
[ "$runtime_only" -eq 1 ] || PACKAGES="$PACKAGES $TEST_PACKAGES"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
known() { apt-cache show "$1" >/dev/null 2>&1; }
missing=""
for p in $PACKAGES; do
  installed "$p" || missing="$missing $p"
done
optional_missing=""
for p in $OPTIONAL; do
  installed "$p" || ! known "$p" || optional_missing="$optional_missing $p"
done
need_multitool=0
if [ "$runtime_only" -eq 0 ]; then
  # npm from any source will do (Debian's, or NodeSource's nodejs, which has it)
  command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
  # (it prints its version on stderr)
  command -v sarif-multitool >/dev/null 2>&1 && sarif-multitool --version 2>&1 | grep -q "Multitool 5.7.0" \
    || need_multitool=1
fi
if [ -z "$missing$optional_missing" ] && [ "$need_multitool" -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo "$0" "$@"
  fi
  [ "$need_multitool" -eq 0 ] || missing="$missing (then npm install -g $MULTITOOL)"
  echo "install-deps: missing:$missing$optional_missing; run this as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ -n "$missing$optional_missing" ]; then
  echo "install-deps: installing$missing$optional_missing"
  apt-get update -qq
  # shellcheck disable=SC2086
  [ -z "$missing" ] || apt-get install -y -qq --no-install-recommends $missing
  for p in $OPTIONAL; do
    if ! installed "$p" && known "$p"; then
      apt-get install -y -qq --no-install-recommends "$p"
    fi
  done
fi
if [ "$need_multitool" -eq 1 ]; then
  echo "install-deps: npm install -g $MULTITOOL"
  npm install -g "$MULTITOOL"
  sarif-multitool --version 2>&1 | grep -q "Multitool 5.7.0"
fi
