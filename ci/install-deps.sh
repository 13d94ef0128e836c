#!/bin/sh
# Installs what racelab needs on Debian 12: as root, or through sudo when
# run by another user (a fresh root shell often has no sudo at all).
# CMake checks each of these again and names the package if one is missing.
# racelab's own tests also need Microsoft's SARIF multitool (npm; a .NET
# program that needs libicu): installed here too, at the version the tests
# were written against.
set -eu
PACKAGES="
  cmake make gcc g++ binutils clang libclang-rt-dev
  valgrind gdb bubblewrap
  libexpat1-dev libjansson-dev libelf-dev libxxhash-dev pkg-config
  python3 python3-jsonschema libicu72
"
MULTITOOL=@microsoft/sarif-multitool@5.7.0
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# npm from any source will do (Debian's, or NodeSource's nodejs, which has it)
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
need_multitool=0
# (it prints its version on stderr)
command -v sarif-multitool >/dev/null 2>&1 && sarif-multitool --version 2>&1 | grep -q "Multitool 5.7.0" \
  || need_multitool=1
if [ -z "$missing" ] && [ "$need_multitool" -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo "$0" "$@"
  fi
  echo "install-deps: missing:$missing; then npm install -g $MULTITOOL; run this as root" >&2
  exit 1
fi
if [ -n "$missing" ]; then
  echo "install-deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
if [ "$need_multitool" -eq 1 ]; then
  echo "install-deps: npm install -g $MULTITOOL"
  npm install -g "$MULTITOOL"
  sarif-multitool --version 2>&1 | grep -q "Multitool 5.7.0"
fi
