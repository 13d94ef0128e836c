# Sourced by run.sh: the longer scenarios about what the tools report,
# as functions (run.sh's helpers and variables in scope).

# Every kind of report TSan 14 prints is a finding at its line.
test_tsan_kinds() {
    # Every kind of report TSan 14 prints (tests/reports/src, each program's
    # offending line marked @bug) is a finding at that line.
    R=$SRC/tests/reports/src
    for prog in destroylocked doublelock errno invalid rdunlock rwmisuse sigunsafe stackrace uaf \
        unlockunlocked leak forkafter; do
        check 1 "$R/$prog.c" --tools tsan --json "$prog.json"
        # the summary line names the line (either side of a race: which
        # access TSan calls "previous" depends on the schedule)
        has "^    tsan [a-z-]* .*$prog.c:$(line_of '@bug' "$R/$prog.c")"
        validate_json "$prog.json"
    done
    # Separate reports stay separate: two calls in the handler, three misuses.
    py "
assert len(load('sigunsafe.json')['tools'][0]['findings']) == 2
assert len(load('invalid.json')['tools'][0]['findings']) == 3
d = load('destroylocked.json')['tools'][0]['findings'][0]
assert [s['title'] for s in d['stacks'] if not s['location']][0] == 'Mutex last locked at', d['stacks']
assert all(s['title'] != 'and' for s in d['stacks']), d['stacks']
# memory on a stack has no name: no '??' in the variable or the fingerprint
s = load('stackrace.json')['tools'][0]['findings'][0]
assert s['variable'] is None and '??' not in s['fingerprint_key'], s
"
    # A fork after a report: the child's log repeats the counter; not undecided.
    check 1 "$R/forkafter.c" --tools tsan
    lacks "UNDECIDED"
    # A cycle through 30 locks: TSan prints one line, no lock, no stack.
    check 1 "$R/longcycle.c" --tools tsan --json long.json
    has "too-long-mutex-cycle"
    has "no location"
    py "
f = load('long.json')['tools'][0]['findings'][0]
assert f['kind'] == 'too-long-mutex-cycle' and f['locations'] == [], f
"
}

# Known tool false positives: tool limitations, with why.
test_limitations() {
    # Known tool false positives on correct code: shown as tool limitations,
    # with why, not failing the gate unless --strict; only on explore's
    # evidence (evidence_cases.sh: without it they count), never when a
    # tool that understands the pattern confirms the finding.
    # (memcheck sees none of these patterns: left out, for time)
    check 0 "$HERE/once_init.c" --tools tsan,helgrind,drd,explore --json once.json --sarif once.sarif
    has "TOOL LIMITATION (not counted; --strict counts it)"
    has "pthread_once"
    validate_json once.json
    validate_sarif once.sarif
    py "
j = load('once.json')
h = [t for t in j['tools'] if t['tool'] == 'helgrind'][0]
assert h['findings'] and all(f['limitation'] and not f['new'] for f in h['findings']), h['findings']
assert j['counts']['limitations'] == len(h['findings']) and j['counts']['new'] == 0, j['counts']
s = load('once.sarif')
levels = [r['level'] for run in s['runs'] for r in run['results']]
assert levels and set(levels) == {'note'}, levels
"
    check 1 "$HERE/once_init.c" --tools tsan,helgrind,explore --strict
    has "NEW (a known tool limitation, counted: --strict)"
    # spinning on an atomic flag: fair scheduling, and atomics on plain data
    check 0 "$HERE/spin_publish.c" --timeout 20 --json spin.json
    py "
j = load('spin.json')
assert [t['tool'] for t in j['tools']] == ['tsan', 'helgrind', 'drd', 'memcheck', 'explore'], j['tools']
assert all(t['status'] == 'ok' for t in j['tools']), [(t['tool'], t['status'], t['error']) for t in j['tools']]
assert all('--fair-sched=try' in t['command'] for t in j['tools'] if t['tool'] in ('helgrind', 'drd', 'memcheck'))
assert j['counts']['limitations'] > 0 and j['counts']['new'] == 0, j['counts']
"
    # without TSan, nothing tells Helgrind's false race from a real one
    check 1 "$HERE/spin_publish.c" --tools helgrind
    check 0 "$HERE/trylock_backoff.c" --tools tsan,helgrind,drd,explore
    has "every instance of it has a trylock edge (which cannot block)"
    check 0 "$HERE/signal_after_unlock.c" --tools tsan,helgrind,drd
    has "signalled after its mutex was released"
    # atomics excuse nothing: the counter's race (TSan confirms) counts
    check 1 "$HERE/atomics_and_race.c" --tools tsan,helgrind,drd,explore --json ar.json
    py "
j = {t['tool']: t for t in load('ar.json')['tools']}
for tool in ('helgrind', 'drd'):
    new = [f for f in j[tool]['findings'] if f['new']]
    lim = [f for f in j[tool]['findings'] if f['limitation']]
    # how many reports each tool makes of the atomics depends on the run's
    # timing (DRD: one per conflicting access it happened to see); what
    # counts is that the counter's race is new and only the atomics are not
    races = ($(line_of '@race:' "$HERE/atomics_and_race.c"), $(line_of '@race2' "$HERE/atomics_and_race.c"))
    atomics = ($(line_of '@store' "$HERE/atomics_and_race.c"), $(line_of '@load' "$HERE/atomics_and_race.c"))
    assert new and lim, (tool, j[tool]['findings'])
    assert all(l['line'] in races for f in new for l in f['locations']), new
    assert all(l['line'] in atomics for f in lim for l in f['locations']), lim
"
    # the tool's own words for every kind: Helgrind's Misc with no user frame
    check 1 "$HERE/holds_lock.c" --tools helgrind
    has "Exiting thread still holds 1 lock"
    lacks "LIMITATION"
}
