#!/bin/sh
# Installs what racelab needs on Debian 12: as root, or through sudo when
# run by another user (a fresh root shell often has no sudo at all).
# CMake checks each of these again and names the package if one is missing.
set -eu
PACKAGES="
  cmake make gcc g++ binutils clang libclang-rt-dev
  valgrind gdb bubblewrap
  libexpat1-dev libjansson-dev pkg-config
  python3 python3-jsonschema
"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo "$0" "$@"
  fi
  echo "install-deps: missing:$missing; run this as root" >&2
  exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
