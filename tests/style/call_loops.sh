#!/bin/sh
# No file-level call loops: within one library, the files call down, never
# back up. For each static library given, nm lists what each object file
# defines and what it needs; an object that needs a symbol another object
# of the same library defines depends on it. Any cycle in that graph (two
# or more files that reach each other) fails, named with the symbols that
# make each edge of it.
#
#   call_loops.sh [-v] LIB.a...   (-v: every edge too; NM=... to use another nm)
#
# 0: no loop in any of them; 1: a loop (printed); 2: usage or nm failed.
NM=${NM:-nm}
verbose=0
if [ "$1" = "-v" ]; then
    verbose=1
    shift
fi
if [ $# -eq 0 ]; then
    echo "usage: $0 [-v] LIB.a..." >&2
    exit 2
fi
status=0
for lib in "$@"; do
    if [ ! -f "$lib" ]; then
        echo "$0: no library $lib" >&2
        exit 2
    fi
    # -A: each line names its object ("lib.a[file.c.o]: sym TYPE ...");
    # -P: portable columns; -g: external symbols only (U included)
    syms=$("$NM" -A -P -g "$lib") || { echo "$0: $NM failed on $lib" >&2; exit 2; }
    printf '%s\n' "$syms" | awk -v lib="$lib" -v verbose=$verbose '
    function obj(field) {
        sub(/:$/, "", field)
        if (match(field, /\[[^]]*\]$/))
            field = substr(field, RSTART + 1, RLENGTH - 2)
        return field
    }
    {
        o = obj($1); s = $2; t = $3
        objs[o] = 1
        if (t == "U")
            need[++nneed] = o SUBSEP s
        else if (t != "w" && t != "v" && !(s in def)) # weak: not a dependency
            def[s] = o
    }
    # Tarjan: the strongly connected components of the file graph
    function visit(v,    w, k) {
        index_of[v] = low[v] = ++counter
        stack[++sp] = v; on[v] = 1
        for (k = 1; k <= nout[v]; k++) {
            w = out[v, k]
            if (!(w in index_of)) {
                visit(w)
                if (low[w] < low[v]) low[v] = low[w]
            } else if (on[w] && index_of[w] < low[v])
                low[v] = index_of[w]
        }
        if (low[v] == index_of[v]) {
            n = 0
            do { w = stack[sp--]; on[w] = 0; comp[++n] = w } while (w != v)
            if (n > 1)
                report(n)
        }
    }
    function report(n,    i, j, a, b, list) {
        loops++
        list = ""
        for (i = n; i >= 1; i--) { list = list " " comp[i]; inloop[comp[i]] = loops }
        printf "%s: a call loop among%s\n", lib, list
        for (i = n; i >= 1; i--)
            for (j = n; j >= 1; j--) {
                a = comp[i]; b = comp[j]
                if ((a, b) in why)
                    printf "  %s -> %s:%s\n", a, b, why[a, b]
            }
    }
    END {
        for (i = 1; i <= nneed; i++) {
            split(need[i], p, SUBSEP)
            if (!(p[2] in def) || def[p[2]] == p[1])
                continue
            a = p[1]; b = def[p[2]]
            if (!((a, b) in why))
                out[a, ++nout[a]] = b
            why[a, b] = why[a, b] " " p[2]
        }
        if (verbose)
            for (e in why) {
                split(e, p, SUBSEP)
                printf "%s: %s -> %s:%s\n", lib, p[1], p[2], why[e]
            }
        for (o in objs)
            if (!(o in index_of))
                visit(o)
        if (loops)
            exit 1
        nobj = 0
        for (o in objs) nobj++
        printf "%s: no call loop among its %d files\n", lib, nobj
    }' || status=1
done
exit $status
