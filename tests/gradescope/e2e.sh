#!/usr/bin/env bash
# The Gradescope autograder, end to end (label: gradescope; docs/grade.md):
#   tests/gradescope/e2e.sh SOURCE_DIR WORK_DIR [CASE]
# 1. ci/gradescope/make-zip.sh makes the zip, and its --no-sandbox twin.
# 2. A bare Debian 12 root (mmdebstrap --variant=minbase, cached) gets
#    Gradescope's layout: the zip unpacked into /autograder/source,
#    run_autograder copied to /autograder/run_autograder, /autograder/
#    submission and /autograder/results.
# 3. setup.sh runs there as root, as Gradescope runs it when it builds the
#    image: in a container of bubblewrap with every capability, its own
#    pid, ipc and uts namespaces and the package mirror as its only network.
# 4. run_autograder grades the case's fix and its unchanged handout, each
#    in a fresh /autograder/submission and /autograder/results, without
#    network, in two kinds of container:
#    - "docker": /proc as Docker mounts it, with read-only parts (bwrap's
#      --proc), where the grader's own bubblewrap cannot mount a /proc of
#      its own and so cannot sandbox: the zip must refuse to grade (score
#      0, saying why), and the --no-sandbox zip must grade;
#    - "nesting": a /proc of the container's own with nothing over it,
#      where the grader's sandbox works: the zip must grade, sandboxed.
#    Every results.json must have Gradescope's documented shape
#    (check_results.py, results.schema.json) and add up; the fix must get
#    full marks and the handout less (at most the 10 points for compiling).
# Cache (RACELAB_GRADESCOPE_CACHE, default /var/cache/racelab-gradescope):
# the base root as a tarball (remade after 30 days) and apt's downloaded
# packages, so only the first run downloads; the root is made on a tmpfs
# where the machine allows it. Needs root, bwrap, mmdebstrap,
# python3 with jsonschema (ci/install-deps.sh); not root: skipped (77).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 SOURCE_DIR WORK_DIR [CASE]" >&2; exit 2; }
src=$(cd "$1" && pwd)
work=$2
case_name=${3:-lost_update}
here=$(cd "$(dirname "$0")" && pwd)
cache=${RACELAB_GRADESCOPE_CACHE:-/var/cache/racelab-gradescope}
mirror=${RACELAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${RACELAB_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}

if [ "$(id -u)" -ne 0 ]; then
  echo "e2e: skipped: Gradescope runs setup.sh as root, and so must this test"
  exit 77
fi
for tool in bwrap mmdebstrap python3; do
  command -v "$tool" >/dev/null || { echo "e2e: needs $tool: run ci/install-deps.sh" >&2; exit 1; }
done
python3 -c "import jsonschema" 2>/dev/null || { echo "e2e: needs python3-jsonschema: run ci/install-deps.sh" >&2; exit 1; }

t_start=$(date +%s)
step() { echo "e2e [$(($(date +%s) - t_start)) s]: $*"; }
fail() { echo "e2e: FAILED: $*" >&2; exit 1; }

mkdir -p "$cache/apt-archives/partial" "$work"
exec 9>"$cache/lock"
flock 9 # one run at a time uses the cache (and its apt archives)

# ---- the base root: a bare Debian 12, cached ----
base=$cache/bookworm-minbase.tar
if [ -f "$base" ] && [ -n "$(find "$base" -mtime +30)" ]; then
  step "the cached base root is over 30 days old: making it again"
  rm -f "$base"
fi
if [ ! -f "$base" ]; then
  step "making the base root (mmdebstrap --variant=minbase bookworm)"
  mmdebstrap --variant=minbase --mode=root --quiet bookworm "$cache/new.tar" \
    "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
    "deb $security bookworm-security main" </dev/null
  mv "$cache/new.tar" "$base"
fi

# ---- the zips ----
step "making the zips"
zip=$work/autograder.zip
zip_ns=$work/autograder-no-sandbox.zip
rm -f "$zip" "$zip_ns"
"$src/ci/gradescope/make-zip.sh" "$case_name" "$zip" >/dev/null
"$src/ci/gradescope/make-zip.sh" "$case_name" --no-sandbox "$zip_ns" >/dev/null
listing() { python3 -c "import sys, zipfile; print('\n'.join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))" "$1"; }
listing "$zip" > "$work/zip.list"
listing "$zip_ns" > "$work/zip-no-sandbox.list"
for f in setup.sh run_autograder case.txt racelab/CMakeLists.txt racelab/ci/install-deps.sh \
         "racelab/cases/$case_name.c" "racelab/fixed/$case_name.c"; do
  grep -qx "$f" "$work/zip.list" || fail "the zip has no $f"
done
! grep -q '^racelab/tests/' "$work/zip.list" || fail "the zip carries racelab's tests, which setup.sh does not build"
[ "$(diff "$work/zip.list" "$work/zip-no-sandbox.list" | grep '^[<>]')" = "> no-sandbox" ] ||
  fail "the --no-sandbox zip should differ from the other by its no-sandbox file alone"

# ---- a fresh root in Gradescope's layout ----
# On a tmpfs where the machine allows it: dpkg's many small writes and
# syncs, and removing 1.2 GB of files at the end, cost half a minute on disk.
root=$work/root
umount "$root" 2>/dev/null || true
rm -rf "$root"
mkdir "$root"
if mount -t tmpfs -o size=6g,mode=0755 racelab-gradescope "$root" 2>/dev/null; then
  trap 'umount "$root"' EXIT
fi
tar -xf "$base" -C "$root"
ag=$root/autograder
mkdir -p "$ag/source" "$ag/submission" "$ag/results"
(cd "$ag/source" && cmake -E tar xf "$zip")
# as Gradescope's image build does before setup.sh
cp "$ag/source/run_autograder" "$ag/run_autograder"
chmod +x "$ag/run_autograder"

# container KIND [bwrap options...] -- COMMAND...: root in the root
container() {
  local kind=$1 proc
  shift
  if [ "$kind" = docker ]; then proc=(--proc /proc); else proc=(); fi
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  bwrap --bind "$root" / "${proc[@]}" --dev /dev --ro-bind /sys /sys \
    --unshare-pid --unshare-ipc --unshare-uts --hostname autograder \
    --cap-add ALL --die-with-parent --clearenv \
    --setenv PATH /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --setenv HOME /root --setenv LANG C.UTF-8 --chdir /autograder "${opts[@]}" \
    /bin/sh -c '[ -e /proc/self ] || mount -t proc proc /proc; exec "$@"' sh "$@"
}

# ---- setup.sh, as root, the package mirror its only network ----
step "setup.sh (log: $work/setup.log)"
t0=$(date +%s)
rc=0
container docker --ro-bind /etc/resolv.conf /etc/resolv.conf \
  --bind "$cache/apt-archives" /var/cache/apt/archives -- \
  bash /autograder/source/setup.sh >"$work/setup.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { tail -n 30 "$work/setup.log" >&2; fail "setup.sh failed (exit $rc)"; }
setup_s=$(($(date +%s) - t0))
[ -x "$ag/racelab-build/racelab" ] || fail "setup.sh succeeded but built no racelab"
grep -q "sandbox" "$work/setup.log" || fail "setup.sh did not say whether the sandbox works"

# grade KIND WHAT FILE CHECK_OPTIONS...: run_autograder on FILE, checked
grade() {
  local kind=$1 what=$2 file=$3
  shift 3
  rm -rf "${ag:?}/submission" "$ag/results"
  mkdir -p "$ag/submission" "$ag/results"
  cp "$file" "$ag/submission/$case_name.c"
  local log=$work/grade-$kind-$what.log
  local rc=0
  container "$kind" --unshare-net -- /autograder/run_autograder >"$log" 2>&1 || rc=$?
  cp "$ag/results/results.json" "$work/results-$kind-$what.json" 2>/dev/null ||
    { tail -n 20 "$log" >&2; fail "$kind, $what: run_autograder (exit $rc) wrote no results.json"; }
  local score
  score=$(python3 "$here/check_results.py" "$work/results-$kind-$what.json" "$@") ||
    { tail -n 20 "$log" >&2; fail "$kind, $what: results.json (above; log $log)"; }
  echo "$score"
}
handout=$src/cases/$case_name.c
fix=$src/fixed/$case_name.c

step "docker-like container: the zip refuses without its sandbox"
grade docker fix "$fix" --score-max 0 --output "sandbox does not work" >/dev/null
step "docker-like container: the --no-sandbox zip grades"
touch "$ag/source/no-sandbox" # the one file the --no-sandbox zip adds (checked above)
fix_score=$(grade docker fix-no-sandbox "$fix" --tests --score-min 100)
handout_score=$(grade docker handout-no-sandbox "$handout" --tests --score-max 10)
rm "$ag/source/no-sandbox"
[ "$fix_score" -gt "$handout_score" ] || fail "no sandbox: the fix ($fix_score) scored no higher than the handout ($handout_score)"
step "  fix $fix_score, handout $handout_score"

step "nesting container: the zip grades in its sandbox"
fix_score=$(grade nesting fix "$fix" --tests --score-min 100)
handout_score=$(grade nesting handout "$handout" --tests --score-max 10)
[ "$fix_score" -gt "$handout_score" ] || fail "sandboxed: the fix ($fix_score) scored no higher than the handout ($handout_score)"
grep -q "sandbox: bwrap" "$work/grade-nesting-fix.log" || fail "the nesting container's grade did not run in the sandbox"
step "  fix $fix_score, handout $handout_score"

if ! mountpoint -q "$root"; then rm -rf "$root"; fi
echo "e2e: passed: setup.sh ${setup_s} s, all $(($(date +%s) - t_start)) s"
