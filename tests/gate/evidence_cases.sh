# Sourced by run.sh: a finding is dismissed as a tool limitation only on
# positive evidence (explore's lock graph and happens-before), findings
# win over the exit status, and a deadlock under Valgrind is seen at once.
# Each case was red before the fix it guards (docs/tools.md).

# explore's lock graph: gates held exclusively, cycles of any length,
# every instance of an edge.
test_evidence_graph() {
    # a read-held rwlock gates nothing: the cycle under it counts
    check 1 "$HERE/rwlock_gate.c" --tools tsan,explore --json rd.json
    py "
j = {t['tool']: t for t in load('rd.json')['tools']}
assert j['tsan']['findings'] and not any(f['limitation'] for f in j['tsan']['findings']), j['tsan']['findings']
assert [f['kind'] for f in j['explore']['findings']] == ['lock-cycle'], j['explore']['findings']
"
    # write-held, it is a gate: TSan's report is a limitation on explore's evidence...
    check 0 "$HERE/rwlock_gate.c" --tools tsan,explore -- w
    has "TOOL LIMITATION"
    has "gate lock"
    # ... and without explore nothing shows the gate: the report counts
    check 1 "$HERE/rwlock_gate.c" --tools tsan -- w
    lacks "LIMITATION"
    # cycles through 7 and 30 mutexes, default tools: explore reports them
    for n in 7 30; do
        check 1 "$HERE/lock_ring.c" --json ring$n.json -- $n
        lacks "LIMITATION"
        py "
j = {t['tool']: t for t in load('ring$n.json')['tools']}
assert [f['kind'] for f in j['explore']['findings']] == ['lock-cycle'], j['explore']['findings']
assert len(j['explore']['findings'][0]['locations']) == 2 * $n, j['explore']['findings'][0]['locations']
assert load('ring$n.json')['counts']['limitations'] == 0
"
    done
    # an edge with 13 instances, only the last ungated: it counts...
    check 1 "$HERE/many_gated.c" --json many.json
    lacks "LIMITATION"
    py "
j = {t['tool']: t for t in load('many.json')['tools']}
assert [f['kind'] for f in j['explore']['findings']] == ['lock-cycle'], j['explore']['findings']
"
    # ... and with every instance gated, TSan's and Helgrind's reports are limitations
    check 0 "$HERE/many_gated.c" -- gated
    has "TOOL LIMITATION"
    # trylock: Helgrind's report is a limitation on explore's evidence, and counts without it
    check 0 "$HERE/trylock_backoff.c" --tools tsan,helgrind,explore
    has "every instance of it has a trylock edge"
    check 1 "$HERE/trylock_backoff.c" --tools tsan,helgrind
    lacks "LIMITATION"
}

# explore's happens-before: a race next to atomics counts unless every
# schedule saw it ordered.
test_evidence_hb() {
    # TSan's run happened to order the accesses; explore's schedules did not
    check 1 "$HERE/atomics_lucky.c" --tools tsan,helgrind,drd,explore --json lucky.json
    py "
j = {t['tool']: t for t in load('lucky.json')['tools']}
assert not j['tsan']['findings'], j['tsan']['findings']
lines = ($(line_of '@race ' "$HERE/atomics_lucky.c"), $(line_of '@race2' "$HERE/atomics_lucky.c"))
for tool in ('helgrind', 'drd'):
    new = [f for f in j[tool]['findings'] if f['new']]
    assert new and all(f['locations'][0]['line'] in lines for f in new), (tool, j[tool]['findings'])
"
    # ordered by release/acquire in every schedule: limitations, on evidence
    check 0 "$HERE/spin_publish.c" --tools tsan,helgrind,drd,explore --timeout 20
    has "saw these accesses ordered by happens-before in every schedule"
    has "atomic operations"
    # without explore, TSan's silence is not evidence: they count
    check 1 "$HERE/spin_publish.c" --tools tsan,helgrind,drd --timeout 20
    lacks "LIMITATION"
    # pthread_once: the same, with and without explore
    check 0 "$HERE/once_init.c" --tools tsan,helgrind,explore
    has "pthread_once"
    check 1 "$HERE/once_init.c" --tools tsan,helgrind
    lacks "LIMITATION"
}

# Findings win over how the program ended; TSan's exitcode is kept.
test_findings_win() {
    check 1 "$HERE/race_exit42.c" --tools tsan,helgrind --json e42.json
    has "the program exited with status 42; the findings decide"
    lacks "UNDECIDED"
    validate_json e42.json
    py "
j = {t['tool']: t for t in load('e42.json')['tools']}
assert j['helgrind']['decided'] and j['helgrind']['program_ended'] == 'exited with status 42', j['helgrind']
assert j['tsan']['decided'] and j['tsan']['findings'], j['tsan']
"
    # the forked child TSan ends after its report fails, and its parent sees it
    check 1 "$HERE/child_race.c" --tools tsan --json child.json
    py "
t = load('child.json')['tools'][0]
assert t['findings'] and t['exit_code'] == 3 and t['program_ended'] == 'exited with status 3', t
"
    # a program that fails with nothing found is still not judged
    check 3 "$HERE/exit_status.c" --tools tsan -- 3
}

# A deadlock under each Valgrind tool is seen in seconds, not at the limit;
# a program that may be woken by a signal waits for it.
test_vg_deadlock() {
    for tool in helgrind drd memcheck; do
        t0=$(date +%s)
        check 3 "$HERE/vg_deadlock.c" --tools $tool --timeout 30
        t1=$(date +%s)
        has "$tool: DEADLOCK: no progress for 0.6 s"
        [ $((t1 - t0)) -lt 20 ] || fail "$tool: the deadlock took $((t1 - t0)) s to see"
        "$RACELAB" check "$HERE/alarm_wake.c" --tools $tool --json alarm.json >out.txt 2>&1
        lacks "DEADLOCK"
        py "
t = load('alarm.json')['tools'][0]
assert t['status'] == 'ok' and t['decided'], t
"
    done
}

# An outside reviewer's attacks on the evidence, each once a false pass.
test_evidence_attacks() {
    for prog in fork_cycle timed_gate timeout_race; do
        check 1 "$HERE/$prog.c" --json $prog.json
        has "no tool limitation is dismissed on its evidence"
    done
    check 3 "$HERE/fail_after_signal.c" --tools helgrind,drd
    has "nothing decides"
}
