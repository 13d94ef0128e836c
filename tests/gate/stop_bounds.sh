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

# Bounds on check's runs (cgroups): a fork bomb capped at 64 processes+
# threads and a 384 MiB hog under a 128 MiB cap are stopped and named.
test_bounds() {
    for tool in tsan memcheck helgrind; do
        check 3 "$HERE/fork_bomb.c" --tools $tool --max-procs 64 --timeout 60 --json "bomb-$tool.json"
        has "$tool: UNDECIDED: the program reached the process limit: at most 64 processes+threads (--max-procs)"
        py "
t = load('bomb-$tool.json')['tools'][0]
assert t['seconds'] < 30, 'stopped at the limit, not at the timeout: %.1f s' % t['seconds']
"
        check 3 "$HERE/memory_hog.c" --tools $tool --max-memory 128M --timeout 60
        has "$tool: UNDECIDED: the program reached the memory limit of 128 MiB (--max-memory) and was killed"
    done
    # the defaults (1024, 4G) are room for a real program
    check 0 "$HERE/memory_hog.c" --tools tsan,memcheck
    lacks "not enforced"
    check 2 "$HERE/racy.c" --max-procs 0
    check 2 "$HERE/racy.c" --max-memory 12Q
    # without root (and no delegated cgroup) the bounds cannot be set: said
    if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
        mkdir -p nobody && chmod 777 nobody
        setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$OUT/nobody" \
            "$RACELAB" check "$HERE/racy.c" --tools tsan --work-dir "$OUT/nobody/w" >out.txt 2>&1
        [ $? -eq 1 ] || fail "as nobody: want exit 1"
        has "note: --max-procs and --max-memory not enforced: no cgroup for them here (racelab needs root"
    else
        echo "skipped: the check without root needs root and setpriv to become nobody"
    fi
}

# A full file system under the run (a 1 MiB tmpfs): "no space left on the
# device", for the build and for each tool's run, never some other error.
test_full_disk() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "SKIPPED gate.full-disk: mounting a 1 MiB tmpfs needs root"
        exit 77
    fi
    mkdir -p full real-cache
    mount -t tmpfs -o size=1m racelab-full "$OUT/full" || { echo "SKIPPED gate.full-disk: mount failed"; exit 77; }
    trap 'umount "$OUT/full" 2>/dev/null' EXIT
    # the build: the linker cannot write the binary
    check 3 "$HERE/racy.c" --tools tsan --work-dir "$OUT/full/w1"
    has "tsan: UNDECIDED: no space left on the device of $OUT/full/w1/cache: the build cannot write its output"
    lacks "UNDECIDED: does not compile"
    # the runs: builds cached elsewhere, the run directories on a full disk
    mkdir -p full/w2 && ln -s "$OUT/real-cache" full/w2/cache
    rm -rf full/w1
    dd if=/dev/zero of=full/filler bs=4k 2>/dev/null
    for tool in tsan helgrind drd memcheck explore; do
        check 3 "$HERE/racy.c" --tools $tool --work-dir "$OUT/full/w2"
        has "$tool: UNDECIDED: no space left on the device of $OUT/full/w2/run-"
        lacks "XML\|RLIMIT\|empty\|truncated"
    done
}
