# Sourced by run.sh: the gate's tests of a clean stop, of the bounds on
# check's runs and of a full file system under a run. Uses run.sh's
# helpers (check, has, lacks, fail) and variables (RACELAB, HERE, OUT).

# gone PID...: true when every process is dead (a zombie counts as dead:
# its parent, pid 1 here, reaps it when it will)
gone() {
    for p in "$@"; do
        [ -n "$p" ] || continue
        st=$(sed -n 's/^[0-9]* ([^)]*) \(.\).*/\1/p' "/proc/$p/stat" 2>/dev/null)
        [ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ] || return 1
    done
    return 0
}

# our_cgroups PID: the cgroups a racelab of this pid made, still there
our_cgroups() {
    find /sys/fs/cgroup -maxdepth 6 -type d -name "racelab-$1-*" 2>/dev/null
}

# stop_one TOOL SIGNAL: racelab checks a program that hangs (its child
# left the group with setsid) and is stopped with SIGNAL once both run.
stop_one() {
    tool=$1 sig=$2
    w=$OUT/w-$tool-$sig
    pids=$OUT/pids-$tool-$sig
    rm -rf "$w" "$pids".*
    "$RACELAB" check "$HERE/stop_hang.c" --tools "$tool" --timeout 100 --work-dir "$w" -- "$pids" \
        >"$OUT/out-$tool-$sig.txt" 2>&1 &
    rl=$!
    i=0
    while [ ! -f "$pids.parent" ] || [ ! -f "$pids.child" ]; do
        i=$((i + 1))
        [ $i -lt 600 ] || { kill -KILL $rl; fail "$tool: the program did not start in 60 s"; }
        sleep 0.1
    done
    parent=$(cat "$pids.parent") child=$(cat "$pids.child")
    gone "$parent" "$child" && fail "$tool: the program is not running"
    runs=$(ls -d "$w"/run-* 2>/dev/null)
    [ -n "$runs" ] || fail "$tool: no run directory while it runs"
    kill -"$sig" $rl
    wait $rl
    got=$?
    case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; KILL) want=137 ;; esac
    [ "$got" -eq "$want" ] || fail "$tool: racelab stopped by SIG$sig exited $got, want $want (dies of the signal)"
    # the guard cleans up after a SIGKILL: give it a moment
    i=0
    until gone "$parent" "$child" && [ -z "$(ls -d "$w"/run-* 2>/dev/null)" ] && [ -z "$(our_cgroups $rl)" ]; do
        i=$((i + 1))
        if [ $i -ge 100 ]; then
            sed 's/^/| /' "$OUT/out-$tool-$sig.txt"
            gone "$parent" || fail "$tool SIG$sig: the program ($parent) survived"
            gone "$child" || fail "$tool SIG$sig: its setsid child ($child) survived"
            [ -z "$(ls -d "$w"/run-* 2>/dev/null)" ] || fail "$tool SIG$sig: run directory left: $(ls -d "$w"/run-*)"
            fail "$tool SIG$sig: cgroups left: $(our_cgroups $rl)"
        fi
        sleep 0.1
    done
    if [ "$sig" != KILL ]; then
        grep -q "racelab: stopped by $sig" "$OUT/out-$tool-$sig.txt" || fail "$tool: no word of the stop"
    fi
    echo "ok $tool SIG$sig"
}

test_stop() {
    for tool in tsan helgrind drd; do
        for sig in INT TERM HUP KILL; do
            stop_one $tool $sig
        done
    done
}
