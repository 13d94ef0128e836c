#!/bin/sh
# Tests of `racelab check` (label: gate). One test per call:
#   run.sh RACELAB SOURCE_DIR OUT_DIR TEST [CHECK_UNITS]
# SOURCE_DIR is the repository; OUT_DIR/TEST gets this test's files.
# Every test asserts an exit code and what the reports say, so a gate that
# passes what it should fail (or fails for the wrong reason) goes red.
set -u
RACELAB=$1
SRC=$2
OUT=$3/$4
TEST=$4
UNITS=${5:-}
HERE=$SRC/tests/gate
PY=/usr/bin/python3
CLANG=${RACELAB_CLANG:-clang}
GCC=${RACELAB_CC:-gcc}
RACELAB_VERSION=$(sed -n 's/^project(racelab VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")

rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
cd "$OUT" || exit 1

. "$HERE/lib.sh"
. "$HERE/stop_bounds.sh"
. "$HERE/tool_cases.sh"
. "$HERE/evidence_cases.sh"
. "$HERE/systematic_cases.sh"

RACE=$(line_of '@race \*/' "$HERE/racy.c")
AB=$(line_of '@ab' "$HERE/racy.c")
BA=$(line_of '@ba' "$HERE/racy.c")

case $TEST in
usage)
    check 2
    check 2 --bogus "$HERE/racy.c"
    check 2 "$HERE/racy.c" --tools tsan,bogus
    check 2 "$HERE/racy.c" --tools native
    check 2 "$HERE/no-such-file.c"
    check 2 "$HERE/racy.c" --update-baseline
    check 2 "$HERE/racy.c" --baseline "$OUT/missing.json"
    check 2 "$HERE/racy.c" --timeout 0
    check 2 "$HERE/racy.c" --suppressions "$OUT/missing.supp"
    printf '#!/bin/sh\nexit 0\n' >script && chmod +x script
    check 2 --exe ./script
    has "not an ELF"
    check 2 --exe /bin/true "$HERE/racy.c"
    check 0 --help
    has "Exit status"
    # the help names C++, tool limitations, the bounds and the time-limit
    # extension, in lines a terminal of 80 columns shows whole
    has "C++"
    has "known tool limitation"
    has "waited for a CPU"
    has "max-memory"
    awk 'length($0) > 80 { print "line " NR " has " length($0) " columns: " $0; bad = 1 } END { exit bad }' out.txt ||
        fail "a line of --help is wider than 80 columns"
    ;;

racy)
    # All four tools; the SARIF must point at the racing line, both accesses.
    check 1 "$HERE/racy.c" --source-root "$SRC" --sarif r.sarif --json r.json --junit r.xml
    has "NEW:"
    has "racy.c:$RACE vs racy.c:$RACE"
    validate_sarif r.sarif
    validate_json r.json
    py "
s = load('r.sarif')
runs = {r['tool']['driver']['name']: r for r in s['runs']}
assert sorted(runs) == ['DRD', 'Helgrind', 'Memcheck', 'ThreadSanitizer', 'racelab explore'], sorted(runs)
# every driver says its version (explore: racelab's), every rule explains itself
import re, subprocess
clang = subprocess.run(['$CLANG', '-dumpversion'], capture_output=True, text=True).stdout.strip()
vg = subprocess.run(['valgrind', '--version'], capture_output=True, text=True).stdout.strip()
want = {'ThreadSanitizer': clang, 'Helgrind': vg[len('valgrind-'):], 'DRD': vg[len('valgrind-'):],
        'Memcheck': vg[len('valgrind-'):], 'racelab explore': '$RACELAB_VERSION'}
for name, run in runs.items():
    d = run['tool']['driver']
    assert d['version'] == want[name], (name, d.get('version'), want[name])
    assert re.fullmatch(r'\d+\.\d+\.\d+', d['semanticVersion']), (name, d['semanticVersion'])
    for rule in d['rules']:
        assert rule['fullDescription']['text'] and rule['help']['text'], rule
def lines(res, key):
    return [l['physicalLocation']['region']['startLine'] for l in res.get(key, [])]
t = runs['ThreadSanitizer']['results']
assert [r['ruleId'] for r in t] == ['tsan/data-race'], t
loc = t[0]['locations'][0]['physicalLocation']
assert loc['artifactLocation'] == {'uri': 'tests/gate/racy.c', 'uriBaseId': '%SRCROOT%'}, loc
assert lines(t[0], 'locations') == [$RACE], lines(t[0], 'locations')
assert lines(t[0], 'relatedLocations') == [$RACE], 'second access: %s' % lines(t[0], 'relatedLocations')
h = runs['Helgrind']['results']
assert [r['ruleId'] for r in h] == ['helgrind/Race'], h
assert lines(h[0], 'locations') == [$RACE] and lines(h[0], 'relatedLocations') == [$RACE], h
d = runs['DRD']['results']
assert d and all(r['ruleId'] == 'drd/ConflictingAccess' for r in d), d
assert all(lines(r, 'locations')[0] in ($RACE - 1, $RACE) for r in d), [lines(r, 'locations') for r in d]
assert runs['Memcheck']['results'] == [], runs['Memcheck']['results']
assert all(r['invocations'][0]['executionSuccessful'] for r in s['runs'])
j = load('r.json')
assert j['result'] == 'FINDINGS' and j['exit_code'] == 1 and j['counts']['new'] == j['counts']['findings'] >= 3, j['counts']
x = ET.parse('r.xml').getroot()
assert x.get('failures') == '3' and x.get('errors') == '0', x.attrib
"
    ;;

clean)
    check 0 "$HERE/clean.c" --json c.json --junit c.xml --sarif c.sarif
    has "CLEAN: 0 new findings (exit 0)"
    validate_sarif c.sarif
    validate_json c.json
    py "
j = load('c.json')
assert j['result'] == 'CLEAN' and [t['status'] for t in j['tools']] == ['ok'] * 5, j['tools']
assert [t['tool'] for t in j['tools']] == ['tsan', 'helgrind', 'drd', 'memcheck', 'explore'], j['tools']
x = ET.parse('c.xml').getroot()
assert (x.get('tests'), x.get('failures'), x.get('errors')) == ('5', '0', '0'), x.attrib
"
    ;;

baseline)
    # Accept today's race; a new one fails; the old one survives a move.
    check 0 "$HERE/racy.c" --tools tsan --baseline b.json --update-baseline
    has "baseline updated"
    py "
b = load('b.json')
assert [e['key'] for e in b['findings']] == ['tsan/data-race|counter|work@racy.c|work@racy.c'], b
"
    check 0 "$HERE/racy.c" --tools tsan --baseline b.json
    has "baselined:"
    has "CLEAN: 0 new findings, 1 baselined"
    check 1 "$HERE/racy.c" --tools tsan --baseline b.json --cflags -DNEW_BUG --sarif new.sarif --json new.json
    has "FINDINGS: 1 new finding, 1 baselined"
    validate_sarif new.sarif
    py "
r = load('new.sarif')['runs'][0]['results']
state = {x['ruleId']: x['baselineState'] for x in r}
assert state == {'tsan/data-race': 'unchanged', 'tsan/lock-order-inversion': 'new'}, state
new = [x for x in r if x['baselineState'] == 'new'][0]
assert new['locations'][0]['physicalLocation']['region']['startLine'] == $AB, new['locations']
assert $BA in [l['physicalLocation']['region']['startLine'] for l in new['relatedLocations']], new
old = [x for x in r if x['baselineState'] == 'unchanged'][0]
assert old['suppressions'][0]['kind'] == 'external', old
j = load('new.json')
assert j['counts'] == {'findings': 2, 'new': 1, 'baselined': 1, 'limitations': 0, 'undecided_tools': 0}, j['counts']
"
    # Seven lines inserted above the race: same race, other line numbers.
    mkdir shifted
    { printf '\n\n\n\n\n\n\n'; cat "$HERE/racy.c"; } >shifted/racy.c
    check 0 shifted/racy.c --tools tsan --baseline b.json --sarif shifted.sarif
    validate_sarif shifted.sarif
    py "
r = load('shifted.sarif')['runs'][0]['results']
assert [x['locations'][0]['physicalLocation']['region']['startLine'] for x in r] == [$RACE + 7], r
assert [x['baselineState'] for x in r] == ['unchanged'], r
"
    # A fixed program leaves a stale entry: said, not failed.
    check 0 "$HERE/clean.c" --tools tsan --baseline b.json
    has "1 baselined finding did not show up"
    ;;

suppressions)
    check 1 "$HERE/racy.c" --tools tsan,helgrind
    check 0 "$HERE/racy.c" --tools tsan --suppressions "$HERE/racy.tsan.supp"
    check 0 "$HERE/racy.c" --tools helgrind --suppressions "$HERE/racy.helgrind.supp"
    check 0 "$HERE/racy.c" --tools tsan,helgrind --suppressions "$HERE/racy.helgrind.supp" \
        --suppressions "$HERE/racy.tsan.supp"
    ;;

args)
    check 0 "$HERE/args.c" --tools tsan,memcheck -- go
    check 3 "$HERE/args.c" --tools tsan
    has "exited with status 1"
    ;;

compile-error)
    check 3 "$HERE/compile_error.c" --json e.json --sarif e.sarif --junit e.xml
    has "does not compile"
    has "compile_error.c:7"
    lacks "FINDINGS"
    validate_sarif e.sarif
    validate_json e.json
    py "
j = load('e.json')
assert j['result'] == 'UNDECIDED' and j['counts']['new'] == 0 and not any(t['decided'] for t in j['tools']), j
s = load('e.sarif')
assert all(not r['invocations'][0]['executionSuccessful'] and r['results'] == [] for r in s['runs'])
x = ET.parse('e.xml').getroot()
assert (x.get('errors'), x.get('failures')) == ('5', '0'), x.attrib
"
    ;;

crash)
    check 3 "$HERE/crash.c" --tools tsan,helgrind
    has "tsan: UNDECIDED: the program crashed: SEGV"
    has "helgrind: UNDECIDED: the program crashed: killed by SIGSEGV"
    has "at crash.c:$(line_of '@crash' "$HERE/crash.c")"
    ;;

tsan-kinds)
    test_tsan_kinds
    ;;

tsan-check-hang)
    # 70 locks held at once: TSan fails its own CHECK and hangs. That is TSan
    # failing, with its message, not a deadlock of the program's.
    check 3 "$SRC/tests/reports/src/manylocks.c" --tools tsan --timeout 3
    has "tsan: UNDECIDED: TSan failed internally: ThreadSanitizer: CHECK failed"
    lacks "DEADLOCK"
    lacks "waits to lock"
    ;;

build-cache)
    # The cache key covers every input: a header, the flags. A stale binary
    # must never give a stale verdict.
    mkdir src
    cp "$HERE/locked_by_cfg.c" src/
    echo '#define USE_LOCK 1' >src/cfg.h
    check 0 src/locked_by_cfg.c --tools tsan --work-dir w
    echo '#define USE_LOCK 0' >src/cfg.h
    check 1 src/locked_by_cfg.c --tools tsan --work-dir w
    has "at locked_by_cfg.c:$(line_of '@race' "$HERE/locked_by_cfg.c")"
    printf '#ifndef USE_LOCK\n#define USE_LOCK 1\n#endif\n' >src/cfg.h
    check 0 src/locked_by_cfg.c --tools tsan,helgrind --work-dir w
    check 1 src/locked_by_cfg.c --tools tsan,helgrind --work-dir w --cflags -DUSE_LOCK=0
    # unchanged inputs: the cached binary, no second link
    ls w/cache >before.txt
    check 0 src/locked_by_cfg.c --tools tsan --work-dir w
    ls w/cache >after.txt
    cmp -s before.txt after.txt || fail "an unchanged program was built again"
    # the compilers' versions are remembered under each file's identity; a
    # memo whose identity is not the file's is not believed: asked again
    memo=$(grep -l 'clang version' w/cache/compiler-*.version | head -1)
    [ -n "$memo" ] || fail "no memo of clang's version in w/cache"
    printf '/usr/bin/clang 1 2 3 4 5\nforged 1.0\n' >"$memo"
    check 0 src/locked_by_cfg.c --tools tsan --work-dir w
    grep -q '^/.* [0-9]* [0-9]* [0-9]* [0-9.]* [0-9.]*$' "$memo" && ! grep -q forged "$memo" ||
        fail "a memo with another identity was believed: $(cat "$memo")"
    ;;

build-cache-paths)
    # What a header is found by changes, not the files last read: a symlink
    # in a sub-directory pointed elsewhere, a header in an earlier -I
    # directory given with a trailing slash (gcc keeps the slash), a
    # __has_include with a comment before its parenthesis; and
    # `-include FILE` with a space compiles.
    mkdir -p src/sub inc/flags inc/opt inc2/flags
    cp "$HERE/cfg_paths.c" src/
    echo '#define MODE_LOCK 1' >src/lock_on.h
    echo '#define MODE_LOCK 0' >src/lock_off.h
    ln -s ../lock_on.h src/sub/mode.h
    echo '#define FLAG_LOCK 1' >inc2/flags/cfg.h
    : >inc/flags/keep.h
    : >inc/opt/keep.h
    echo '#define FORCED 1' >force.h
    RACE=$(line_of '@race' "$HERE/cfg_paths.c")
    each() { # WANT: TSan (clang) and Helgrind (gcc), each on its own
        for tool in tsan helgrind; do
            check "$1" src/cfg_paths.c --tools $tool --work-dir w --cflags '-Iinc/ -Iinc2/ -include force.h'
            [ "$1" = 0 ] || has "at cfg_paths.c:$RACE"
        done
    }
    each 0
    ln -sfn ../lock_off.h src/sub/mode.h
    each 1
    ln -sfn ../lock_on.h src/sub/mode.h
    each 0
    echo '#define FLAG_LOCK 0' >inc/flags/cfg.h
    each 1
    rm inc/flags/cfg.h
    each 0
    : >inc/opt/off.h
    each 1
    ;;

build-cache-new-files)
    # Unchanged inputs are found without the preprocessor (a manifest of
    # what it read); a header that appears where an #include or a
    # __has_include would find it must still be seen, by clang (TSan) and
    # gcc (Helgrind) each.
    mkdir -p src/opt inc
    cp "$HERE/cfg_probe.c" src/
    echo '#define USE_LOCK 1' >inc/cfg.h
    : >src/opt/keep.h
    RACE=$(line_of '@race' "$HERE/cfg_probe.c")
    both() { # WANT: each tool on its own
        for tool in tsan helgrind; do
            check "$1" src/cfg_probe.c --tools $tool --work-dir w --cflags -Iinc
            [ "$1" = 0 ] || has "at cfg_probe.c:$RACE"
        done
    }
    both 0
    [ "$(ls w/cache/deps-* | wc -l)" = 2 ] || fail "not one manifest per compiler: $(ls w/cache)"
    both 0
    echo '#define USE_LOCK 0' >src/cfg.h # next to the source: found first
    both 1
    rm src/cfg.h
    both 0
    : >src/opt/off.h # in a directory that exists already
    both 1
    rm src/opt/off.h
    both 0
    echo '#define USE_LOCK 0' >inc/cfg.h # same size, same file: its content
    both 1
    # a search directory that does not exist yet, made with a header that
    # shadows the one found so far
    echo '#define USE_LOCK 1' >inc/cfg.h
    for tool in tsan helgrind; do
        check 0 src/cfg_probe.c --tools $tool --work-dir w --cflags '-Inew -Iinc'
    done
    mkdir new && echo '#define USE_LOCK 0' >new/cfg.h
    for tool in tsan helgrind; do
        check 1 src/cfg_probe.c --tools $tool --work-dir w --cflags '-Inew -Iinc'
    done
    # a unit that reads the clock is preprocessed every time: no manifest
    printf 'const char *built = __TIME__;\nint main(void) { return 0; }\n' >src/clock.c
    check 0 src/clock.c --tools tsan --work-dir w2
    ! ls w2/cache/deps-* >/dev/null 2>&1 || fail "a manifest for a unit that uses __TIME__"
    ;;

gnu-c)
    # GNU C (inline asm, typeof) compiles in the compilers' own dialect;
    # --cflags can still choose a standard, and a compile error shows them.
    check 0 "$HERE/gnu_asm.c" --tools tsan,helgrind
    check 3 "$HERE/gnu_asm.c" --tools tsan --cflags -std=c11
    has "does not compile (clang -fsanitize=thread -g -O1 -fno-omit-frame-pointer -Wall -Wextra -pthread -std=c11 "
    check 3 "$HERE/compile_error.c" --tools helgrind --cflags '-DLEVEL=2 -O0' --ldflags -lm --json e.json
    has "does not compile (gcc -g -O0 -Wall -Wextra -pthread -DLEVEL=2 -O0 .*compile_error.c -lm)"
    py "
b = load('e.json')['builds'][0]
assert '-DLEVEL=2' in b['command'] and b['command'].endswith('-lm'), b
"
    ;;

cxx)
    # C++ with std::thread and std::mutex, and C++ mixed with C: built with
    # clang++/g++, the C++ runtime linked, names demangled.
    RACE=$(line_of '@race' "$HERE/cxx_race.cpp")
    check 1 "$HERE/cxx_race.cpp" --json x.json
    # either side of the race (which access TSan calls "previous" depends
    # on the schedule: under load the locked one can come second)
    has "tsan data-race 'counter' at cxx_race.cpp:[0-9]* vs cxx_race.cpp:$RACE\|tsan data-race 'counter' at cxx_race.cpp:$RACE"
    has "helgrind Race 'counter' at cxx_race.cpp:$RACE"
    has "bump(int) cxx_race.cpp:$RACE"
    lacks "_Z"
    py "
j = load('x.json')
assert [t['status'] for t in j['tools']] == ['ok'] * 5, [t['error'] for t in j['tools']]
assert [b['command'].split()[0] for b in j['builds']] == ['clang++', 'g++', 'clang++'], j['builds']
"
    PART=$(line_of '@race' "$HERE/mixed_part.c")
    check 1 "$HERE/mixed_main.cpp" "$HERE/mixed_part.c" --tools tsan,drd
    has "tsan data-race 'count' at mixed_part.c:$PART vs mixed_part.c:$PART"
    has "drd ConflictingAccess at mixed_part.c:$PART"
    ;;

names)
    # File names are bytes: a 240-byte name (the cache's name is bounded),
    # a name in Latin-1 with a space (Valgrind's XML holds it as it is).
    long=$(printf 'r%.0s' $(seq 240))
    cp "$HERE/racy.c" "$long.c"
    check 1 "$long.c" --tools tsan,helgrind
    has "at $long.c:$RACE"
    latin=$(printf 'caf\351 racy.c')
    cp "$HERE/racy.c" "$latin"
    check 1 "$latin" --tools tsan,helgrind,drd,memcheck --json l.json --sarif l.sarif
    lacks "UNDECIDED"
    validate_json l.json
    validate_sarif l.sarif
    py "
j = load('l.json')
assert all(t['decided'] for t in j['tools']), [t['error'] for t in j['tools']]
loc = j['tools'][1]['findings'][0]['locations'][0]
assert loc['uri'] == 'caf%E9%20racy.c' and loc['line'] == $RACE, loc
"
    ;;

exit-status)
    # The program's status and the tools' findings are two facts: a program
    # that fails with nothing found is undecided; one that fails after a
    # race is judged on the race (findings win), its status named.
    ES=$(line_of '@race' "$HERE/exit_status.c")
    check 3 "$HERE/exit_status.c" --tools tsan,helgrind,drd -- 3
    has "tsan: UNDECIDED: the program exited with status 3"
    has "helgrind: UNDECIDED: the program exited with status 3"
    check 1 "$HERE/exit_status.c" --tools tsan,helgrind,drd --json es.json -- 3 race
    has "the program exited with status 3; the findings decide"
    has "tsan data-race 'counter' at exit_status.c:$ES"
    has "helgrind Race 'counter' at exit_status.c:$ES"
    py "
j = load('es.json')
# TSan ends a process that reported with its own exitcode (66)
assert [t['exit_code'] for t in j['tools']] == [66, 3, 3], [t['exit_code'] for t in j['tools']]
assert [t['program_ended'] for t in j['tools']] == [None, 'exited with status 3', 'exited with status 3'], j['tools']
assert all(t['findings'] and t['decided'] for t in j['tools']), 'the findings decide'
"
    check 1 "$HERE/exit_status.c" --tools tsan,helgrind,drd -- 0 race
    ;;

tool-opts)
    # Options passed through to the tools, recorded in every report; the
    # ones that decide what is reported stay racelab's.
    R=$SRC/tests/reports/src
    check 0 "$R/stackrace.c" --tools drd
    check 1 "$R/stackrace.c" --tools tsan,drd --drd-opt=--check-stack-var=yes --tsan-opt history_size=7 \
        --valgrind-opt=--num-callers=40 --json o.json --sarif o.sarif
    has "drd options: --check-stack-var=yes --num-callers=40"
    # DRD reports the second of the two stores; which one that is depends
    # on the schedule (CI saw the worker's): either side of the pair.
    has "drd ConflictingAccess at stackrace.c:\($(line_of '@bug' "$R/stackrace.c")\|$(line_of '@other' "$R/stackrace.c")\)\$"
    validate_json o.json
    validate_sarif o.sarif
    py "
j = {t['tool']: t for t in load('o.json')['tools']}
assert j['drd']['options'] == ['--check-stack-var=yes', '--num-callers=40'], j['drd']['options']
assert '--check-stack-var=yes' in j['drd']['command'] and '--fair-sched=try' in j['drd']['command'], j['drd']['command']
assert '--error-exitcode' not in j['drd']['command'], j['drd']['command']
assert j['tsan']['tsan_options'].endswith(':history_size=7') and ':exitcode=66:' in j['tsan']['tsan_options'], j['tsan']
inv = {r['tool']['driver']['name']: r['invocations'][0] for r in load('o.sarif')['runs']}
assert inv['DRD']['properties']['passThroughOptions'] == ['--check-stack-var=yes', '--num-callers=40'], inv['DRD']
assert 'history_size=7' in inv['ThreadSanitizer']['environmentVariables']['TSAN_OPTIONS'], inv
"
    check 2 "$R/stackrace.c" --drd-opt=--report-signal-unlocked=no
    has "racelab sets what decides a verdict"
    check 2 "$R/stackrace.c" --tsan-opt log_path=elsewhere
    check 2 "$R/stackrace.c" --tsan-opt 'history_size=7:report_bugs=0'
    check 2 "$R/stackrace.c" --memcheck-opt=--show-leak-kinds=all
    check 2 "$R/stackrace.c" --valgrind-opt=--error-exitcode=0
    check 2 "$R/stackrace.c" --valgrind-opt=--check-stack-var=yes
    has "one tool's options go with"
    ;;

paths)
    # Paths with blanks, ':' and '%': TSan splits TSAN_OPTIONS on blanks and
    # ':' (quoted), Valgrind expands '%' in its file names (escaped).
    check 1 "$HERE/racy.c" --tools tsan,helgrind --work-dir "w d:x,y%p" --json p.json
    has "tsan data-race 'counter' at racy.c:$RACE"
    has "helgrind Race 'counter' at racy.c:$RACE"
    mkdir "s p:c"
    cp "$HERE/racy.tsan.supp" "s p:c/my supp"
    check 0 "$HERE/racy.c" --tools tsan --work-dir "w d:x" --suppressions "s p:c/my supp"
    check 2 "$HERE/racy.c" --tools tsan --work-dir "q'\"x"
    has "cannot quote"
    ;;

thread-limit)
    # Past Valgrind's thread limit: said in those words, and the limit can
    # be raised by a pass-through option.
    check 3 "$HERE/many_threads.c" --tools helgrind
    has "helgrind: UNDECIDED: Valgrind's thread limit was reached"
    has "valgrind-opt=--max-threads=N"
    check 0 "$HERE/many_threads.c" --tools helgrind --valgrind-opt=--max-threads=700
    ;;

prune)
    # An undecided run keeps the tool's logs, not the 64 MiB the program
    # wrote into its directory.
    check 3 "$HERE/big_output.c" --tools memcheck,tsan --json b.json
    has "the program exited with status 2"
    py "
import os
for t in load('b.json')['tools']:
    d = t['logs']
    assert d and os.path.isdir(d), t
    names = os.listdir(d)
    assert 'junk.bin' not in names, names
    assert all(n.startswith('tsan.') or n.startswith('valgrind.') for n in names), names
assert 'valgrind.xml' in os.listdir(load('b.json')['tools'][1]['logs'])
"
    ;;

limitations)
    test_limitations
    ;;

evidence-graph)
    test_evidence_graph
    ;;

evidence-hb)
    test_evidence_hb
    ;;

findings-win)
    test_findings_win
    ;;

vg-deadlock)
    test_vg_deadlock
    ;;

evidence-attacks)
    test_evidence_attacks
    ;;

systematic)
    test_systematic
    ;;

tsan-truncated)
    check 3 "$HERE/fake_tsan_log.c" --tools tsan
    has "TSan report is truncated"
    ;;

valgrind-malformed)
    check 3 "$HERE/clobber_vg_xml.c" --tools drd
    has "Valgrind XML is malformed"
    ;;

mmap-hint)
    check 3 "$HERE/tsan_mmap.c" --tools tsan
    has "unexpected memory mapping"
    has "sudo sysctl vm.mmap_rnd_bits=28"
    ;;

hang)
    # Stuck for good under TSan: called at once (TSan's own napping thread
    # is not waited for), not at the 60 s limit.
    check 3 "$HERE/hang.c" --tools tsan --timeout 60 --json h.json --junit h.xml
    has "tsan: DEADLOCK: no progress for .* nothing left to wake them"
    has "TSan's own thread, napping"
    has "waits to lock 'lock' at hang.c:$(line_of '@waits' "$HERE/hang.c") (in waiter)"
    has "stacks of the hung program"
    validate_json h.json
    py "
t = load('h.json')['tools'][0]
assert t['status'] == 'deadlock' and not t['decided'] and 'waiter' in t['hang_stacks'], t
e = ET.parse('h.xml').getroot().find('.//error')
assert e is not None and e.get('type') == 'deadlock' and 'hang.c' in e.text, ET.tostring(e)
"
    # A thread of the program's own napping while the others wait: it
    # wakes them; never a deadlock, however it naps.
    for how in nanosleep clock syscall; do
        check 0 "$HERE/nap_then_unlock.c" --tools tsan --timeout 20 -- $how
        lacks "DEADLOCK"
    done
    ;;

exe)
    # A binary the user built: TSan-instrumented or not, only tools that apply.
    "$CLANG" -fsanitize=thread -g -O1 -pthread "$HERE/racy.c" -o racy-tsan || fail "clang build"
    "$GCC" -g -O0 -pthread "$HERE/racy.c" -o racy-plain || fail "gcc build"
    check 1 --exe ./racy-tsan --json t.json
    has "helgrind: skipped"
    py "
j = load('t.json')
assert [t['tool'] for t in j['tools']] == ['tsan'] and j['skipped_tools'] == ['helgrind', 'drd', 'memcheck', 'explore'], j
assert j['tools'][0]['findings'][0]['locations'][0]['line'] == $RACE
"
    check 1 --exe ./racy-plain --tools tsan,helgrind --json p.json
    has "tsan: skipped"
    py "
j = load('p.json')
assert [t['tool'] for t in j['tools']] == ['helgrind'] and j['skipped_tools'] == ['tsan'], j
"
    check 2 --exe ./racy-plain --tools tsan
    has "not TSan-instrumented"
    # explore on a plain binary: the runtime is preloaded, and sees the
    # synchronisation calls (a self-deadlock needs nothing more)
    "$GCC" -g -O0 -pthread "$SRC/tests/explore/relock.c" -o relock-plain || fail "gcc build"
    check 1 --exe ./relock-plain --tools explore
    has "explore self-deadlock at relock.c:"
    has "replay: racelab check --exe"
    ;;

stop)
    # Stopped with INT, TERM, HUP or KILL, racelab leaves no process, run
    # directory or cgroup behind, and dies of the signal (stop_bounds.sh).
    test_stop
    ;;

bounds)
    # cgroups bound what a run forks and takes (stop_bounds.sh)
    test_bounds
    ;;

full-disk)
    # a full file system is said to be one (stop_bounds.sh)
    test_full_disk
    ;;

writers)
    [ -n "$UNITS" ] || fail "no gate-units binary given"
    "$UNITS" "$SRC/tests/reports" "$OUT" >out.txt 2>&1 || fail "gate-units failed"
    validate_sarif writers.sarif
    validate_json writers.json
    py "
x = ET.parse('writers.xml').getroot()
f = x.find('.//failure')
assert 'a <b> & \"c\"' in f.get('message') or 'w<ri>ter' in f.text, ET.tostring(f)
assert x.find('.//testsuite').get('name') == 'racelab check hostile<&>'
j = load('writers.json')
assert j['tools'][0]['findings'][0]['message'].startswith('a <b> & \"c\"'), j
"
    ;;

*)
    fail "unknown test"
    ;;
esac
echo "PASS $TEST"
