# Sourced by run.sh: explore's bounded search (docs/explore.md) says what
# it proved: the fewest preemptions and a schedule that replays, every
# schedule within the bound, or "not complete"; a schedule that is not
# followed is never clean.
test_systematic() {
    check 1 "$HERE/bounded_lost.c" --tools explore --bound 2 --seeds 1 --json lost.json
    has "bounded search: found with 1 preemption (the fewest"
    sched=$(sed -n "s/.*--schedule '\([0-9:,]*\)'.*/\1/p" out.txt | head -1)
    [ -n "$sched" ] || fail "no replay command with a schedule"
    py "
t = load('lost.json')['tools'][0]
b = t['bounded_search']
assert b['verdict'] == 'found' and b['bound'] == 1 and b['schedule'] == '$sched', b
"
    check 1 "$HERE/bounded_lost.c" --tools explore --schedule "$sched"
    has "assertion"
    # bound 0 cannot show it: the search says what it proved, then seeds run
    "$RACELAB" check "$HERE/bounded_lost.c" --tools explore --bound 0 --seeds 1 >out.txt 2>&1
    has "bounded search: verified: every schedule with <= 0 preemptions"
    # every runnable thread is a choice, however many
    check 1 "$HERE/many_starters.c" --tools explore --bound 0 --seeds 1
    has "found with 0 preemptions"
    # a timeout the search never takes: not complete, never verified
    "$RACELAB" check "$HERE/timed_abort.c" --tools explore --bound 1 --seeds 1 >out.txt 2>&1
    has "bounded search: not complete"
    lacks "verified"
    # a schedule that is not followed is undecided; a malformed one a usage error
    check 3 "$HERE/bounded_lost.c" --tools explore --schedule '0:99'
    has "was not followed"
    check 3 "$HERE/bounded_lost.c" --tools explore --schedule '900:2'
    has "was not followed"
    check 2 "$HERE/bounded_lost.c" --tools explore --schedule '1:2,1:3'
}
