# Sourced by run.sh: its helpers. check WANT ARGS... runs racelab check
# (output in out.txt) and asserts the exit code; has/lacks grep out.txt;
# py runs Python assertions; validate_* check reports against schemas
# (and SARIF with Microsoft's multitool). Needs RACELAB, SRC, TEST.

fail() {
    echo "FAIL $TEST: $*"
    [ -f out.txt ] && sed 's/^/| /' out.txt
    exit 1
}

# check WANT_EXIT ARGS...: runs racelab check, output in out.txt
check() {
    want=$1
    shift
    "$RACELAB" check "$@" >out.txt 2>&1
    got=$?
    [ "$got" -eq "$want" ] || fail "racelab check $* exited $got, want $want"
}

has() { grep -q -- "$1" out.txt || fail "output lacks '$1'"; }
lacks() { ! grep -q -- "$1" out.txt || fail "output has '$1'"; }
line_of() { grep -n -- "$1" "$2" | head -1 | cut -d: -f1; }
# py 'python code' FILE...: asserts in Python (json and xml in scope)
py() {
    code=$1
    shift
    $PY - "$@" <<EOF || fail "python assertion failed"
import json, sys, xml.etree.ElementTree as ET
def load(p): return json.load(open(p))
$code
EOF
}

# validate_sarif FILE...: the 2.1.0 schema, then Microsoft's SARIF
# multitool with GitHub's rules: no error and no warning of either.
validate_sarif() {
    [ -x "${RACELAB_SARIF_MULTITOOL:-}" ] || fail "RACELAB_SARIF_MULTITOOL is not set (tests/CMakeLists.txt sets it)"
    for f in "$@"; do
        "$RACELAB_SARIF_MULTITOOL" validate "$f" --rule-kind 'Sarif;Gh' >multitool.txt 2>&1
        if grep -Eq ': (error|warning) [A-Z]+[0-9]+:' multitool.txt || ! grep -q 'Analysis completed successfully' multitool.txt; then
            sed 's/^/| /' multitool.txt
            fail "the SARIF multitool does not accept $f"
        fi
    done
    $PY - "$SRC/tests/sarif/sarif-schema-2.1.0.json" "$@" <<'EOF' || fail "SARIF does not validate against the 2.1.0 schema"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
v = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
bad = 0
for path in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(path))):
        print("%s: %s at %s" % (path, e.message, "/".join(map(str, e.absolute_path))))
        bad += 1
sys.exit(1 if bad else 0)
EOF
}

validate_json() {
    $PY - "$SRC/docs/check-report.schema.json" "$@" <<'EOF' || fail "JSON report does not validate against docs/check-report.schema.json"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
v = jsonschema.Draft7Validator(schema)
bad = 0
for path in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(path))):
        print("%s: %s at %s" % (path, e.message, "/".join(map(str, e.absolute_path))))
        bad += 1
sys.exit(1 if bad else 0)
EOF
}
