#!/usr/bin/env python3
"""Tests of `racelab grade` (label: grade).

  grade_test.py corpus RACELAB ROOT CASE DIR WORK [--hostile]
      Grades every entry of DIR (plus, with --hostile, inputs made here:
      binary garbage, a non-UTF-8 name, symlinks out of the submission, a
      file too large, folders with no or two .c files) as one batch, with
      the sandbox on, and compares each grade with the entry's
      `grade-expect:` line. Then makes sure no process of the grades
      survived and the scratch directories are gone.
  grade_test.py buggy RACELAB ROOT CASE WORK
      Grades cases/CASE.c itself: it must fail, and its feedback must name
      a line the case labels (@label), i.e. the bug and its line (for a
      wrong answer, a synchronisation step of the schedule within two
      lines of one).

Expectation keys (any of, on one `grade-expect:` line): score=N, score<=N,
status=S, failed=a,b (items failed or skipped), passed=a,b, cheat=a,b,
policy=yes (a tool limitation was applied).
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

# Inputs made at test time: git does not keep them well (a non-UTF-8
# name, links out of the tree) or they are big. name -> (maker, expectation)
def make_hostile(sub, corpus):
    made = {}
    rng = random.Random(42)
    with open(os.path.join(sub, "garbage.c"), "wb") as f:
        f.write(bytes(rng.randrange(256) for _ in range(4096)))
    made[b"garbage.c"] = "score=0 failed=compile"
    shutil.copy(os.path.join(corpus, "mutex.c"), os.fsencode(sub) + b"/caf\xe9_mutex.c")
    made[b"caf\xe9_mutex.c"] = "score=100"
    os.symlink("/etc/passwd", os.path.join(sub, "symlink_out.c"))
    made[b"symlink_out.c"] = "score=0 status=rejected"
    os.mkdir(os.path.join(sub, "folder_symlink"))
    os.symlink(os.path.join(corpus, "mutex.c"), os.path.join(sub, "folder_symlink", "fix.c"))
    made[b"folder_symlink"] = "score=0 status=rejected"
    with open(os.path.join(sub, "too_big.c"), "w") as f:
        f.write("/* " + "x" * (2 << 20) + " */\nint main(void) { return 0; }\n")
    made[b"too_big.c"] = "score=0 status=rejected"
    os.mkdir(os.path.join(sub, "two_files"))
    for n in ("a.c", "b.c"):
        shutil.copy(os.path.join(corpus, "mutex.c"), os.path.join(sub, "two_files", n))
    made[b"two_files"] = "score=0 status=rejected"
    os.mkdir(os.path.join(sub, "empty_folder"))
    made[b"empty_folder"] = "score=0 status=rejected"
    return made


def expectation_of(path):
    files = [path]
    if os.path.isdir(path) and not os.path.islink(path):
        files = [os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs]
    for p in files:
        if os.path.islink(p) or not os.path.isfile(p):
            continue
        with open(p, "rb") as f:
            m = re.search(rb"grade-expect:([^\n]*)", f.read())
        if m:
            return m.group(1).decode().strip().rstrip("*/").strip()
    return None


def check(expect, g):
    """Problems with grade g against an expectation string."""
    bad = []
    status = {c["id"]: c["status"] for c in g["items"]}
    cheats = {c["id"] for c in g["cheats"]}
    for item in expect.split():
        if item.startswith("score<="):
            if g["score"] > int(item[7:]):
                bad.append(f"score {g['score']} > {item[7:]}")
            continue
        key, _, val = item.partition("=")
        vals = [v for v in val.split(",") if v]
        if key == "score" and g["score"] != int(val):
            bad.append(f"score {g['score']}, expected {val}")
        elif key == "status" and g["status"] != val:
            bad.append(f"status {g['status']}, expected {val}")
        elif key == "failed":
            bad += [f"{v} is {status.get(v)}, expected failed" for v in vals if status.get(v) not in ("failed", "skipped")]
        elif key == "passed":
            bad += [f"{v} is {status.get(v)}, expected passed" for v in vals if status.get(v) != "passed"]
        elif key == "cheat":
            bad += [f"cheat {v} not detected (got {sorted(cheats) or 'none'})" for v in vals if v not in cheats]
        elif key == "policy" and ("policy" in g) != (val == "yes"):
            bad.append(f"policy {'not ' if val == 'yes' else ''}applied")
        elif key not in ("score", "status", "failed", "passed", "cheat", "policy"):
            bad.append(f"unknown expectation key {key}")
    if "cheat" not in expect and cheats:
        bad.append(f"unexpected cheats: {sorted(cheats)}")
    return bad


def leftovers(marker):
    """Processes whose command line or working directory mentions marker."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        if int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if marker.encode() in cmd or marker in cwd:
            found.append(f"{pid}: {cmd[:120]!r}")
    return found


def corpus(racelab, root, case, corpus_dir, work, hostile):
    tmp = tempfile.mkdtemp(prefix=f"racelab-corpus-{case}-")
    sub, out = os.path.join(tmp, "sub"), os.path.join(tmp, "out")
    shutil.copytree(corpus_dir, sub, symlinks=True, ignore=shutil.ignore_patterns("*.py"))
    made = make_hostile(sub, corpus_dir) if hostile else {}
    work = os.path.join(work, f"corpus-{case}")
    shutil.rmtree(work, ignore_errors=True)
    cmd = [racelab, "grade", case, "--batch", sub, "--out", out, "--root", root, "--work-dir", work, "-j",
           str(os.cpu_count() or 2), "--seed", str(random.randrange(1 << 30))]
    print("$", " ".join(cmd), flush=True)
    run = subprocess.run(cmd, capture_output=True)
    print(run.stdout.decode(errors="replace"), end="")
    if run.returncode not in (0, 1):
        print(run.stderr.decode(errors="replace"))
        print(f"racelab grade --batch exited {run.returncode}")
        return 1
    with open(os.path.join(out, "grades.json")) as f:
        grades = json.load(f)
    by_name = {}
    for g in grades:
        by_name[g["submission"].split("/")[0]] = g
    failures = passed = 0
    for entry in sorted(os.listdir(os.fsencode(sub))):
        if entry.startswith(b"."):
            continue
        shown = entry.decode("utf-8", "backslashreplace")
        expect = made.get(entry) or expectation_of(os.path.join(os.fsencode(sub), entry))
        g = by_name.get(shown)
        problems = ["no grade-expect: line"] if expect is None else ["not in grades.json"] if g is None else check(expect, g)
        got = f"{g['score']}/{g['max_score']} {g['status']}" if g else "-"
        if problems:
            failures += 1
            print(f"FAIL {shown}: {got}: " + "; ".join(problems))
            if g:
                print("     " + json.dumps({k: g[k] for k in ("concurrency", "items", "cheats", "rejected") if k in g})[:3000])
        else:
            passed += 1
            print(f"ok   {shown}: {got} ({expect})")
    with open(os.path.join(out, "summary.csv"), encoding="utf-8") as f:
        rows = f.read().splitlines()
    if len(rows) != len(grades) + 1 or not os.path.getsize(os.path.join(out, "report.md")):
        failures += 1
        print(f"FAIL summary.csv has {len(rows) - 1} rows for {len(grades)} grades, or report.md is empty")
    if len(os.listdir(os.path.join(out, "feedback"))) != len(grades):
        failures += 1
        print("FAIL feedback/ does not hold one file per submission")
    alive = leftovers(work)
    if alive:
        failures += 1
        print("FAIL processes of the grades survived:\n  " + "\n  ".join(alive))
    scratch = [d for d in os.listdir(work) if d.startswith("grade-")] if os.path.isdir(work) else []
    if scratch:
        failures += 1
        print(f"FAIL scratch directories left in {work}: {scratch}")
    print(f"{passed} passed, {failures} failed")
    if not failures:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


def buggy(racelab, root, case, work):
    src = os.path.join(root, "cases", case + ".c")
    with open(src) as f:
        labelled = {i + 1 for i, l in enumerate(f) if re.search(r"(//|/\*).*@[A-Za-z_]\w*", l) and "racelab:" not in l}
    run = subprocess.run([racelab, "grade", case, src, "--format", "json", "--root", root, "--work-dir",
                          os.path.join(work, f"buggy-{case}")], capture_output=True)
    g = json.loads(run.stdout)
    named = set()
    for c in g["items"]:
        if c["status"] == "failed":
            named |= {int(n) for n in re.findall(r"\bline (\d+)", c["feedback"])}
    problems = []
    # the handout earns its compile points at most (issue 10: at most 10)
    if run.returncode != 1 or g["score"] > 10:
        problems.append(f"the bug got {g['score']}/{g['max_score']} (at most 10), exit {run.returncode}")
    # A bug only explore sees (a wrong answer) has no location of its own:
    # its feedback names the lines of the schedule's synchronisation steps,
    # which sit next to the bug's lines (the wait under the `if`, the lock
    # around the check). Those count within two lines.
    near = {n for n in named if any(abs(n - l) <= 2 for l in labelled)}
    if not near:
        problems.append(f"no failing check names a labelled line (named {sorted(named)}, labelled {sorted(labelled)})")
    print(f"{case}: {g['score']}/{g['max_score']}, lines named {sorted(named & labelled)}, near {sorted(near - labelled)}")
    print("\n".join("FAIL " + p for p in problems))
    print(f"{0 if problems else 1} passed, {len(problems) and 1} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[:1] == ["corpus"] and len(a) in (6, 7):
        sys.exit(corpus(a[1], a[2], a[3], a[4], a[5], a[6:] == ["--hostile"]))
    if a[:1] == ["buggy"] and len(a) == 5:
        sys.exit(buggy(*a[1:]))
    sys.exit(__doc__)
