#!/bin/sh
# Mutation tests for the lab's own checks (ctest label: harness):
#  1. copying cases/X.c over fixed/X.c must turn X's fixed tests red, for
#     every tool that can see X's bug (and natively, by its wrong answer);
#  2. a race added to a fixed program at another line must be UNEXPECTED.
# usage: mutation_test.sh RACELAB SOURCE_ROOT WORK_DIR
set -u
racelab=$1 src=$2 work=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
mkdir -p "$tmp/cases" "$tmp/fixed"
cp "$src"/cases/*.c "$tmp/cases/"
cp "$src"/cases/*.c "$tmp/fixed/" # every fixed program is now its buggy twin

for case_file in "$tmp"/cases/*.c; do
  name=$(basename "$case_file" .c)
  for tool in tsan helgrind drd memcheck native; do
    # a tool blind to the class cannot tell the twins apart: skip it
    if grep -Eq "^ \*   $tool: +blind" "$case_file"; then continue; fi
    if out=$("$racelab" run "$name" fixed "$tool" --root "$tmp" --work-dir "$work" --timeout 20 2>&1); then
      echo "FAIL: buggy $name passed as fixed under $tool:"; echo "$out"; fail=1
    else
      echo "ok: buggy $name as fixed under $tool: $(echo "$out" | head -1 | cut -d: -f2- | cut -c1-60)"
    fi
  done
done

# 2. an unlocked increment of a new shared variable, far from any label
cp "$src"/fixed/lost_update.c "$tmp/fixed/lost_update.c"
cat >> "$tmp/fixed/lost_update.c" <<'C'

static int injected;
static void *inject(void *arg) { injected++; return arg; } /* a new race */
__attribute__((constructor)) static void start_injected_race(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, inject, NULL);
    pthread_create(&b, NULL, inject, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
}
C
for tool in tsan helgrind; do
  out=$("$racelab" run lost_update fixed "$tool" --root "$tmp" --work-dir "$work" 2>&1)
  if echo "$out" | grep -q "UNEXPECTED (expected CLEAN)" && echo "$out" | grep -q "UNEXPECTED .*lost_update.c:"; then
    echo "ok: injected race is UNEXPECTED under $tool"
  else
    echo "FAIL: injected race under $tool:"; echo "$out"; fail=1
  fi
done
# the buggy program with the same injection: expected findings plus one
# more must not read as DETECTED
cp "$tmp/fixed/lost_update.c" "$tmp/inj.c"
cat "$src/cases/lost_update.c" > "$tmp/cases/lost_update.c"
tail -n 11 "$tmp/inj.c" >> "$tmp/cases/lost_update.c"
out=$("$racelab" run lost_update buggy tsan --root "$tmp" --work-dir "$work" 2>&1)
if echo "$out" | grep -q "UNEXPECTED (expected DETECTED)"; then
  echo "ok: expected race plus an injected one is UNEXPECTED, not DETECTED"
else
  echo "FAIL: buggy + injected race:"; echo "$out"; fail=1
fi
exit $fail
