#!/usr/bin/env python3
"""Which .c file calls which: for each file under the given folders, the
functions of other files it names (definitions found by Universal Ctags).
Prints every loop of files that call each other (a file calling itself is
no loop) and every loop of folders ("rooms"); exit 1 if there is one.
  calls.py [--edges] [--ctags CTAGS] ROOT DIR...   (DIRs relative to ROOT)"""
import json
import os
import re
import subprocess
import sys

def strip(text):
    """C source without comments, strings and character constants."""
    pat = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
    return pat.sub(lambda m: ' ' if m.group(0)[0] in '/' else '""', text)

def sccs(graph):
    """Tarjan's strongly connected components."""
    index, low, on, stack, out = {}, {}, set(), [], []
    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))
    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [c for c in out if len(c) > 1]

def main():
    args = sys.argv[1:]
    edges_wanted, ctags = False, 'ctags'
    while args and args[0].startswith('--'):
        if args[0] == '--edges':
            edges_wanted, args = True, args[1:]
        elif args[0] == '--ctags' and len(args) > 1:
            ctags, args = args[1], args[2:]
        else:
            sys.exit(__doc__)
    root, dirs = args[0], args[1:]
    files = []
    for d in dirs:
        for base, _, names in os.walk(os.path.join(root, d)):
            files += [os.path.join(base, n) for n in names if n.endswith('.c')]
    files.sort()
    tags = subprocess.run([ctags, '--output-format=json', '--c-kinds=f', '--fields=+nef', '-o', '-'] + files,
                          check=True, capture_output=True, text=True).stdout
    public, local = {}, {}
    for line in tags.splitlines():
        t = json.loads(line)
        if t.get('_type') != 'tag':
            continue
        local.setdefault(t['path'], set()).add(t['name'])
        if not t.get('file'):
            public.setdefault(t['name'], set()).add(t['path'])
    graph = {f: set() for f in files}
    why = {}
    for f in files:
        with open(f, encoding='utf-8', errors='replace') as fh:
            words = set(re.findall(r'\b[A-Za-z_]\w*\b', strip(fh.read())))
        for w in words - local.get(f, set()):
            for g in public.get(w, ()):
                if g != f:
                    graph[f].add(g)
                    why.setdefault((f, g), []).append(w)
    room = lambda f: os.path.relpath(os.path.dirname(f), root)
    rel = lambda f: os.path.relpath(f, root)
    if edges_wanted:
        for (f, g), names in sorted(why.items()):
            print(f'{rel(f)} -> {rel(g)}: {" ".join(sorted(names))}')
    bad = 0
    for comp in sccs(graph):
        bad += 1
        print('files that call each other:', ' '.join(rel(f) for f in comp))
        for f in comp:
            for g in comp:
                if (f, g) in why:
                    print(f'  {rel(f)} -> {rel(g)}: {" ".join(sorted(why[(f, g)]))}')
    rooms = {}
    for (f, g) in why:
        if room(f) != room(g):
            rooms.setdefault(room(f), set()).add(room(g))
    for comp in sccs(rooms):
        bad += 1
        print('folders that call each other:', ' '.join(comp))
        for (f, g), names in sorted(why.items()):
            if room(f) in comp and room(g) in comp and room(f) != room(g):
                print(f'  {rel(f)} -> {rel(g)}: {" ".join(sorted(names))}')
    if not bad:
        print(f'no call loop among {len(files)} files')
    return 1 if bad else 0

if __name__ == '__main__':
    sys.exit(main())
