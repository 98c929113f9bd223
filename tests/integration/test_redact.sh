#!/usr/bin/env bash
# tests/integration/test_redact.sh - no secret leaves in a report (issue
# 13, 6): an image with secrets in files, Env, Labels, Cmd, Entrypoint,
# Healthcheck and history (a RUN step's build argument), and a Dockerfile
# with ARG/ENV secrets (tests/tools/mkredact.py), go through every command
# and every output format. No output may show more of a value than its
# rule's public prefix and, for tokens of 32+ characters, the last 4; the
# findings' evidence follows exactly that rule.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
DRYDOCK=${DRYDOCK:-$here/../../build/drydock}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/../tools/mkredact.py" "$tmp/r.tar" "$tmp/Dockerfile" \
  >"$tmp/secrets" || { fail "redact generator: mkredact.py failed"; exit 0; }
# leak OUTFILE: prints the first secret fragment OUTFILE shows, if any
leak() {
  python3 - "$1" "$tmp/secrets" <<'PY'
import sys
out = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
for line in open(sys.argv[2]):
    name, val, pre = line.split()
    pre = "" if pre == "-" else pre
    hidden = val[len(pre):]
    if len(val) >= 32:
        hidden = hidden[:-4]
    for i in range(len(hidden) - 5):
        w = hidden[i:i + 6]
        if w in out:
            print("%s: %r of %s" % (name, w, val))
            sys.exit(0)
PY
}
run() { # name, command...
  local name=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  cat "$tmp/err" >>"$tmp/out"
  if [ "$rc" -gt 2 ]; then fail "redact $name: exit $rc: $(head -c 300 "$tmp/err")"; return; fi
  if [ ! -s "$tmp/out" ]; then fail "redact $name: no output"; return; fi
  local l
  l=$(leak "$tmp/out")
  if [ -n "$l" ]; then fail "redact $name: shows $l"; else pass "redact $name: no secret shown"; fi
}
sc=secret,config,malware
for f in table json sarif cyclonedx spdx; do
  run "scan --format $f" "$DRYDOCK" scan --scanners "$sc" --format "$f" "$tmp/r.tar"
done
run "scan --scanners config (env-secret by the config check)" \
  "$DRYDOCK" scan --scanners config --format json "$tmp/r.tar"
run "inspect" "$DRYDOCK" inspect "$tmp/r.tar"
run "inspect --format json" "$DRYDOCK" inspect --format json "$tmp/r.tar"
run "history" "$DRYDOCK" history "$tmp/r.tar"
run "history --format json" "$DRYDOCK" history --format json "$tmp/r.tar"
for f in table json cyclonedx spdx; do
  run "sbom --format $f" "$DRYDOCK" sbom --format "$f" "$tmp/r.tar"
done
for f in table json sarif; do
  run "dockerfile --format $f" "$DRYDOCK" dockerfile --format "$f" "$tmp/Dockerfile"
done

# The evidence rule, finding by finding.
"$DRYDOCK" scan --scanners "$sc" --format json "$tmp/r.tar" >"$tmp/s.json" 2>/dev/null
python3 - "$tmp/s.json" <<'PY' >"$tmp/ev" 2>&1
import json, re, sys
doc = json.load(open(sys.argv[1]))
fs = [f for f in doc.get("findings", []) if f.get("kind") == "secret"]
want = {
    "aws-access-key-id": r"AKIA\*\*\*\* \(20 chars\)",
    "aws-secret-access-key": r"\*\*\*\*mQxW \(40 chars\)",
    "github-pat": r"ghp_\*\*\*\*o5Qi \(40 chars\)",
    "npm-token": r"npm_\*\*\*\*Uo0i \(40 chars\)",
    "generic-password": r"\*\*\*\* \(\d+ chars\)",
}
seen = set()
for f in fs:
    rid = f.get("id") or f.get("rule")
    ev = f.get("evidence") or ""
    if rid in want:
        seen.add(rid)
        if not re.fullmatch(want[rid], ev):
            print("FAIL redact evidence %s: %r" % (rid, ev)); sys.exit(0)
missing = set(want) - seen
if missing:
    print("FAIL redact evidence: no finding of %s" % ", ".join(sorted(missing)))
else:
    print("PASS redact evidence: prefix only for keyword-led tokens, last 4 only from 32 chars, passwords none (%d findings)" % len(fs))
PY
cat "$tmp/ev"
# Env findings name the variable
if jq -e '[.findings[] | select(.kind=="secret") | .title] | map(select(test("Env (DB_PASSWORD|GITHUB_TOKEN|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY) "))) | length == 4' "$tmp/s.json" >/dev/null 2>&1; then
  pass "redact env: findings name the variable (Env DB_PASSWORD, ...)"
else
  fail "redact env: Env findings do not name the four variables"
fi
# inspect keeps what is not secret, and masks only the value
"$DRYDOCK" inspect "$tmp/r.tar" >"$tmp/i" 2>&1
if grep -q "authors=dev team" "$tmp/i" &&
   grep -q -- '"--password=\*\*\*\*","http://localhost/"\]' "$tmp/i" &&
   grep -q "DB_PASSWORD=\*\*\*\*$" "$tmp/i" &&
   grep -q "deploy with AKIA\*\*\*\*$" "$tmp/i"; then
  pass "redact inspect: values masked, the rest (authors label, healthcheck URL) shown as is"
else
  fail "redact inspect: masking took too much or too little: $(grep -E 'authors|Healthcheck|DB_PASSWORD|deploy' "$tmp/i" | tr '\n' '|')"
fi
