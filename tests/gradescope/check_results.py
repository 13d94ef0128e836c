#!/usr/bin/env python3
"""Checks a results.json that run_autograder wrote (tests/gradescope/e2e.sh).

    check_results.py RESULTS.json [--tests] [--score-min N] [--score-max N] [--output REGEX]

It must have the shape Gradescope documents (results.schema.json beside this
file, validated with jsonschema), and add up: every test's score within
0..max_score, "passed" exactly when a test has all its points, the total no
more than the tests' points, and equal to them when every test passed.
--tests: there must be at least one test. Prints the score on success.
"""
import argparse
import json
import os
import re
import sys

import jsonschema


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--tests", action="store_true", help="at least one test")
    ap.add_argument("--score-min", type=float)
    ap.add_argument("--score-max", type=float)
    ap.add_argument("--output", help="a regex the top-level output must match")
    args = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "results.schema.json")) as f:
        schema = json.load(f)
    with open(args.results) as f:
        results = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(results), key=str)
    problems = [f"not Gradescope's format: {'/'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in errors]

    tests = results.get("tests", [])
    if args.tests and not tests:
        problems.append("no tests")
    total = results.get("score", sum(t.get("score", 0) for t in tests))
    points = sum(t.get("max_score", 0) for t in tests)
    for t in tests:
        s, m = t.get("score", 0), t.get("max_score")
        if m is not None and not 0 <= s <= m:
            problems.append(f"test {t.get('name')!r}: score {s} outside 0..{m}")
        if m is not None and "status" in t and (t["status"] == "passed") != (s == m):
            problems.append(f"test {t.get('name')!r}: status {t['status']} with {s} of {m}")
    if tests and total > points:
        problems.append(f"score {total} above the tests' {points} points")
    if tests and all(t.get("status") == "passed" for t in tests) and total != points:
        problems.append(f"every test passed, but the score is {total} of {points}")
    if args.score_min is not None and total < args.score_min:
        problems.append(f"score {total} below {args.score_min:g}")
    if args.score_max is not None and total > args.score_max:
        problems.append(f"score {total} above {args.score_max:g}")
    if args.output and not re.search(args.output, results.get("output", "")):
        problems.append(f"output {results.get('output', '')!r} does not match {args.output!r}")

    if problems:
        for p in problems:
            print(f"{args.results}: {p}", file=sys.stderr)
        return 1
    print(f"{total:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
