#!/usr/bin/env bash
# tests/integration/test_policy.sh - admission policies on the real test
# images: the built-in policy denies risky (malware, secrets) and lets
# alpine-3.20 through, archive attacks and bad digests are denied, a
# layout signed as cosign does (demo/sign.py) is allowed with the right
# key and denied with another, pinning / registries / exceptions through
# --image-ref and --now, scan --policy in JSON, table and SARIF, bad
# policies and unreadable images, and docs/policy.md's default policy is
# the program's.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
DD=${DRYDOCK_ASAN:-${DRYDOCK:-build/drydock}}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# no vulnerability database unless a test makes one
export XDG_CACHE_HOME=$T/cache

# ---------------------------------------------------------------- docs
"$DD" policy show-default > "$T/default.yaml"
sed -n '/<!-- default-policy -->/,$p' docs/policy.md | sed '1,2d;$d' > "$T/doc.yaml"
if [ -s "$T/default.yaml" ] && cmp -s "$T/default.yaml" "$T/doc.yaml"; then
  pass "policy: docs/policy.md shows the built-in policy verbatim ($(wc -l < "$T/default.yaml") lines)"
else
  fail "policy: docs/policy.md and show-default differ: $(diff "$T/default.yaml" "$T/doc.yaml" | head -5)"
fi

# every YAML example of docs/policy.md is a policy drydock reads
python3 - docs/policy.md "$T" << 'PY'
import re, sys
for i, b in enumerate(re.findall(r"```yaml\n(.*?)```", open(sys.argv[1]).read(), re.S)):
    open(f"{sys.argv[2]}/doc{i}.yaml", "w").write(b)
PY
nd=0
bad=""
for f in "$T"/doc[0-9]*.yaml; do
  nd=$((nd + 1))
  "$DD" policy check -q --policy "$f" /nonexistent > /dev/null 2> "$T/err"
  [ $? = 3 ] || bad="$bad $(basename "$f"): $(head -1 "$T/err")"
done
[ $nd -ge 3 ] && [ -z "$bad" ] && pass "policy: all $nd YAML examples of docs/policy.md parse (the image is what fails: exit 3)" ||
  fail "policy: docs/policy.md examples:$bad"

# ------------------------------------------------------- usage errors
printf 'version: 1\nrules:\n  - name: a\n    images: "**"\n    authorities:\n      - kye: x\n' > "$T/typo.yaml"
out=$("$DD" policy check --policy "$T/typo.yaml" /nonexistent 2>&1); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q "line 6: rules\[0\].authorities\[0\]: unknown field 'kye' (did you mean 'key'?)" &&
  pass "policy: a typo in the policy is one line naming line and path, exit 2 ($out)" ||
  fail "policy typo: rc=$rc $out"
out=$("$DD" policy check --policy "$T/none.yaml" /nonexistent 2>&1); rc=$?
[ $rc = 2 ] && [ "$(echo "$out" | wc -l)" = 1 ] && pass "policy: a missing policy file is one line, exit 2" ||
  fail "policy missing file: rc=$rc $out"
out=$("$DD" policy check "$T/no-such-image" 2>&1); rc=$?
[ $rc = 3 ] && pass "policy: an unreadable image exits 3 ($(echo "$out" | tail -1))" || fail "policy unreadable: rc=$rc $out"
"$DD" policy frobnicate x > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass "policy: an unknown subcommand exits 2" || fail "policy frobnicate: rc=$rc"

R=$IMAGES/risky/oci
A=$IMAGES/alpine-3.20/oci
if [ ! -d "$R" ] || [ ! -d "$A" ]; then
  skip "policy: the risky and alpine-3.20 test images are absent"
  exit 0
fi

# ------------------------------------------------------ default policy
"$DD" policy check -q -f json "$R" > "$T/risky.json"; rc=$?
ok=$(jq -r '[.decision == "deny",
  ([.reasons[] | select(.effect == "deny" and .rule == "default" and (.text | test("threshold .malware.")))] | length) >= 3,
  ([.reasons[] | select(.effect == "deny" and (.text | test("threshold .live-secrets.")))] | length) >= 5,
  ([.reasons[] | select(.subject == "malware.yara.EICAR_Test_File" and .effect == "deny")] | length) == 1,
  ([.reasons[] | select(.subject == "generic-password")] | length) == 0,
  .policy == "built-in policy"] | all' "$T/risky.json" 2>/dev/null)
[ $rc = 1 ] && [ "$ok" = true ] &&
  pass "policy check risky (built-in policy): deny, exit 1: $(jq '[.reasons[] | select(.effect=="deny")] | length' "$T/risky.json") denying reasons (malware, live secrets incl. the deleted AWS key), MEDIUM passwords only not denied" ||
  fail "policy check risky: rc=$rc $(jq -c '[.decision, [.reasons[] | .subject]]' "$T/risky.json" | head -c 400)"
"$DD" policy check -q "$R" > "$T/risky.txt"
head -1 "$T/risky.txt" | grep -q "^Policy: DENY .*built-in policy, mode enforce, rule default)" &&
  grep -q "^  deny   policy.finding-threshold   CRITICAL secret aws-access-key-id at root/.aws/credentials (deleted, still shipped)" "$T/risky.txt" &&
  pass "policy check risky (table): DENY and one line per reason, the deleted credentials named" ||
  fail "policy check risky table: $(head -3 "$T/risky.txt")"
"$DD" policy check -q -f json "$A" > "$T/a.json"; rc=$?
[ $rc = 0 ] && [ "$(jq -r '.decision' "$T/a.json")" = warn ] &&
  [ "$(jq -r '[.reasons[] | .code] | unique | join(",")' "$T/a.json")" = policy.not-scanned ] &&
  pass "policy check alpine-3.20 without a database: warn (exit 0), the only reason is that vulnerabilities were not checked" ||
  fail "policy check alpine: rc=$rc $(jq -c . "$T/a.json" | head -c 400)"
SECDB=../shared/data/feeds/alpine-secdb-2020
if [ -d "$SECDB" ]; then
  "$DD" db import --db "$T/db" "$SECDB" > /dev/null 2>&1
  "$DD" policy check -q -f json --db "$T/db" "$A" > "$T/a2.json"; rc=$?
  [ $rc = 0 ] && [ "$(jq -r '.decision + " " + (.reasons | length | tostring)' "$T/a2.json")" = "allow 0" ] &&
    pass "policy check alpine-3.20 with a database: allow, no reason" ||
    fail "policy check alpine db: rc=$rc $(jq -c . "$T/a2.json" | head -c 300)"
else
  skip "policy check with a database: $SECDB is absent"
fi
for img in mal-traversal mal-digest-mismatch; do
  d=$IMAGES/$img/oci
  [ -d "$d" ] || { skip "policy: $img absent"; continue; }
  "$DD" policy check -q -f json "$d" > "$T/m.json" 2> /dev/null; rc=$?
  want=archive-attacks
  [ $img = mal-digest-mismatch ] && want=integrity
  [ $rc = 1 ] && jq -e --arg w "$want" '.decision == "deny" and ([.reasons[] | select(.effect == "deny" and (.text | contains("threshold '"'"'" + $w + "'"'"'")))] | length) >= 1' "$T/m.json" > /dev/null &&
    pass "policy check $img: deny by threshold '$want' ($(jq -r '[.reasons[] | select(.effect=="deny") | .subject // .code] | unique | join(",")' "$T/m.json"))" ||
    fail "policy check $img: rc=$rc $(jq -c '[.decision, [.reasons[] | .code + ":" + (.subject // "")]]' "$T/m.json" | head -c 300)"
done

# a layer emptied: a policy without thresholds does not read layers, the
# built-in policy does and denies the tampered blob
cp -r "$A" "$T/cut"
M=$(jq -r '.manifests[0].digest' "$T/cut/index.json" | cut -d: -f2)
L=$(jq -r '.layers[0].digest' "$T/cut/blobs/sha256/$M" | cut -d: -f2)
: > "$T/cut/blobs/sha256/$L"
printf 'version: 1\nrules:\n  - name: a\n    images: "**"\n    authorities: [{static: allow}]\n' > "$T/static.yaml"
out=$("$DD" policy check -q --policy "$T/static.yaml" "$T/cut"); rc=$?
"$DD" policy check -q -f json "$T/cut" > "$T/cut.json"; rc2=$?
[ $rc = 0 ] && echo "$out" | grep -q "^Policy: ALLOW" && [ $rc2 = 1 ] &&
  jq -e '[.reasons[] | select(.effect == "deny" and .subject == "integrity.blob-digest")] | length == 1' "$T/cut.json" > /dev/null &&
  pass "policy: without thresholds the layers are not read (an emptied layer still allows by static: allow); the built-in policy denies it (integrity.blob-digest)" ||
  fail "policy emptied layer: rc=$rc rc2=$rc2 $out $(jq -c '[.reasons[] | .subject]' "$T/cut.json")"

# ---------------------------------------------------- signed layout
cp -r "$A" "$T/oci"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/k.pem" 2> /dev/null
openssl pkey -in "$T/k.pem" -pubout -out "$T/k.pub"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/k2.pem" 2> /dev/null
openssl pkey -in "$T/k2.pem" -pubout -out "$T/k2.pub"
dg=$(python3 demo/sign.py "$T/oci" "$T/k.pem" registry.example.com/team/app:1)
mkpol() { # KEYFILE EXTRA... -> a policy on stdout
  local key=$1
  shift
  printf 'version: 1\nrules:\n  - name: team\n    images: "**"\n    authorities:\n      - name: release-key\n        key: |\n'
  sed 's/^/          /' "$key"
  printf '%s\n' "$@"
}
mkpol "$T/k.pub" > "$T/good.yaml"
mkpol "$T/k2.pub" > "$T/bad.yaml"
out=$("$DD" policy check -q --policy "$T/good.yaml" "$T/oci"); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q "^Policy: ALLOW" && [ "$(echo "$out" | wc -l)" = 1 ] &&
  pass "policy: a layout signed with the policy's key is allowed, no reason (exit 0)" ||
  fail "policy signed good key: rc=$rc $out"
"$DD" policy check -q -f json --policy "$T/bad.yaml" "$T/oci" > "$T/bad.json"; rc=$?
[ $rc = 1 ] && jq -e '.decision == "deny" and .reasons[0].code == "policy.unsigned" and (.reasons[0].text | test("release-key: "))' "$T/bad.json" > /dev/null &&
  pass "policy: the same layout with another key in the policy: deny, policy.unsigned naming the authority ($(jq -r '.reasons[0].text' "$T/bad.json" | cut -c1-110))" ||
  fail "policy signed bad key: rc=$rc $(jq -c . "$T/bad.json" | head -c 300)"
out=$("$DD" policy check -q --policy "$T/good.yaml" "$A"); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "policy.unsigned" && pass "policy: the unsigned original with the same policy: deny (policy.unsigned)" ||
  fail "policy unsigned original: rc=$rc $out"

# -------------------------------- pinning, registries, exceptions, --now
mkpol "$T/k.pub" '    require-digest: true' '    registries: [registry.example.com/team]' \
  'exceptions:' '  - name: legacy-unpinned' '    images: registry.example.com/team/legacy' \
  '    codes: policy.not-pinned' '    expires: 2027-01-31' > "$T/pin.yaml"
j() { "$DD" policy check -q -f json --policy "$T/pin.yaml" "$@" "$T/oci" | jq -r '.decision + " " + ([.reasons[] | .code + ":" + .effect] | join(","))'; }
got=$(j --image-ref registry.example.com/team/app:1)
[ "$got" = "deny policy.not-pinned:deny" ] && pass "policy --image-ref TAG: deny, not pinned" || fail "policy not pinned: $got"
got=$(j --image-ref "registry.example.com/team/app@$dg")
[ "$got" = "allow " ] && pass "policy --image-ref @digest: allow" || fail "policy pinned: $got"
got=$(j --image-ref "ghcr.io/team/app@$dg")
[ "$got" = "deny policy.untrusted-registry:deny" ] && pass "policy: a registry not in the list: deny, untrusted registry" ||
  fail "policy untrusted registry: $got"
got=$(j --image-ref registry.example.com/team/legacy:1 --now 2027-01-31)
[ "$got" = "allow policy.not-pinned:waived" ] && pass "policy: the exception waives not-pinned on its last day (--now 2027-01-31)" ||
  fail "policy exception in force: $got"
got=$(j --image-ref registry.example.com/team/legacy:1 --now 2027-02-01)
[ "$got" = "deny policy.exception-expired:info,policy.not-pinned:deny" ] &&
  pass "policy: the day after, the exception has expired and says so: deny" || fail "policy exception expired: $got"
printf 'version: 1\nmode: warn\nrules:\n  - name: all\n    images: "**"\n    require-digest: true\n' > "$T/warn.yaml"
out=$("$DD" policy check -q --policy "$T/warn.yaml" "$A"); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q "^Policy: WARN" && echo "$out" | grep -q "^  warn   policy.not-pinned" &&
  pass "policy mode warn: what would deny warns, exit 0" || fail "policy warn mode: rc=$rc $out"

# ------------------------------------------------------ scan --policy
printf 'version: 1\nrules:\n  - name: no-secrets\n    images: "**"\n    findings:\n      - kind: secret\n        severity: CRITICAL\n' > "$T/sec.yaml"
"$DD" scan -q -f json --scanners secret --policy "$T/sec.yaml" "$R" > "$T/s.json"; rc=$?
n=$(jq '[.findings[] | select(.severity == "CRITICAL" and .kind == "secret")] | length' "$T/s.json")
[ $rc = 1 ] && jq -e --argjson n "$n" '.policy.decision == "deny" and (.policy.reasons | length) == $n and .policy.rules == ["no-secrets"]' "$T/s.json" > /dev/null &&
  pass "scan --policy -f json: \"policy\" says deny with one reason per CRITICAL secret ($n), exit 1" ||
  fail "scan --policy json: rc=$rc $(jq -c '.policy | [.decision, (.reasons|length)]' "$T/s.json")"
"$DD" scan -q --scanners secret --policy "$T/sec.yaml" "$A" > "$T/s.txt"; rc=$?
[ $rc = 0 ] && grep -q "^Policy: ALLOW" "$T/s.txt" && pass "scan --policy (table): a Policy section, ALLOW, exit 0" ||
  fail "scan --policy table: rc=$rc $(tail -2 "$T/s.txt")"
"$DD" scan -q -f sarif --scanners secret --policy "$T/sec.yaml" "$R" > "$T/s.sarif"
jq -e '.runs[0].invocations[0].toolExecutionNotifications | (.[0].descriptor.id == "policy.verdict" and .[0].level == "error" and ([.[] | select(.descriptor.id == "policy.finding-threshold")] | length) > 0)' "$T/s.sarif" > /dev/null &&
  pass "scan --policy -f sarif: the verdict and reasons are tool execution notifications" ||
  fail "scan --policy sarif: $(jq -c '.runs[0].invocations' "$T/s.sarif" | head -c 300)"
"$DD" scan -q -f junit --scanners secret --policy "$T/sec.yaml" "$R" > "$T/s.xml"; rc=$?
"$DD" scan -q -f junit --scanners secret "$R" > "$T/s0.xml"
tot() { sed -n 's/.*<testsuites [^>]* tests="\([0-9]*\)" failures="\([0-9]*\)".*/\1 \2/p' "$1"; }
read -r t0 f0 <<< "$(tot "$T/s0.xml")"
read -r t1 f1 <<< "$(tot "$T/s.xml")"
np=$(grep -c '<testcase name="policy.finding-threshold' "$T/s.xml")
[ $rc = 1 ] && [ "$np" = "$n" ] && [ "$t1" = $((t0 + n + 1)) ] && [ "$f1" = $((f0 + n + 1)) ] &&
  xmllint --noout --schema tests/data/junit.xsd "$T/s.xml" 2> /dev/null &&
  pass "scan --policy -f junit: a policy testsuite ($np failing reasons and the verdict), totals raised ($t0/$f0 -> $t1/$f1), valid against junit.xsd" ||
  fail "scan --policy junit: rc=$rc np=$np totals $t0/$f0 -> $t1/$f1"
SCH=$HOME/.cache/drydock-schemas/jest-sarif-1.0.0-beta.0/package/lib/schemas/sarif-2.1.0-rtm.5.json
if [ -f "$SCH" ] && python3 -c 'import jsonschema' 2> /dev/null; then
  out=$(python3 - "$SCH" "$T/s.sarif" << 'PY'
import json, sys, jsonschema
s = json.load(open(sys.argv[1])); d = json.load(open(sys.argv[2]))
errs = list(jsonschema.validators.validator_for(s)(s).iter_errors(d))
print(len(errs), [e.message[:120] for e in errs[:2]])
sys.exit(1 if errs else 0)
PY
  ) && pass "scan --policy -f sarif: valid against the SARIF 2.1.0 schema" || fail "scan --policy sarif schema: $out"
else
  skip "scan --policy sarif schema: the cached SARIF schema or python3-jsonschema is absent"
fi

# ------------------------------------- a registry reference (mini registry)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P=$(free_port)
python3 tests/integration/mini_registry.py "$T/oci" "$P" > /dev/null 2>&1 &
REGPID=$!
trap 'kill $REGPID 2> /dev/null; rm -rf "$T"' EXIT
for _ in $(seq 1 80); do
  curl -s -o /dev/null "http://127.0.0.1:$P/v2/" && break
  sleep 0.25
done
H=127.0.0.1:$P
mkpol "$T/k.pub" '    require-digest: true' '    registries: ["127.0.0.1:*"]' > "$T/reg.yaml"
r() { "$DD" policy check -q -f json --insecure-registry "$H" --policy "$T/reg.yaml" "$@" |
  jq -r '.image + " " + .decision + " " + ([.reasons[] | .code + ":" + .effect] | join(","))'; }
got=$(r "$H/alpine@$dg")
[ "$got" = "$H/alpine@$dg allow " ] &&
  pass "policy check of a registry reference by digest: the signature is found in the registry, the host glob allows it" ||
  fail "policy registry by digest: $got"
got=$(r "$H/alpine:3.20.3")
[ "$got" = "$H/alpine:3.20.3 deny policy.not-pinned:deny" ] &&
  pass "policy check of the same image by tag: deny, not pinned (the reference itself, no --image-ref)" ||
  fail "policy registry by tag: $got"
mkpol "$T/k.pub" '    registries: [registry.example.com]' > "$T/reg2.yaml"
got=$("$DD" policy check -q --insecure-registry "$H" --policy "$T/reg2.yaml" "$H/alpine:3.20.3"); rc=$?
[ $rc = 1 ] && echo "$got" | grep -q "policy.untrusted-registry .*$H/alpine is not from an allowed registry (allowed: registry.example.com)" &&
  pass "policy check: a registry not allowed is named with the allowed ones" ||
  fail "policy registry not allowed: rc=$rc $got"
"$DD" scan -q -f json --scanners secret --insecure-registry "$H" --policy "$T/reg2.yaml" "$H/alpine:3.20.3" > "$T/ru.json"; rc=$?
us=$(jq -r '[.findings[] | select(.id == "trust.untrusted-source") | .title] | join(" | ")' "$T/ru.json")
[ $rc = 1 ] && echo "$us" | grep -q "is not from an allowed registry.*(policy rule" && echo "$us" | grep -q "plain HTTP" &&
  pass "scan --policy: a registry the policy does not allow is a trust.untrusted-source finding (as is the plain-HTTP pull)" ||
  fail "scan --policy untrusted source: rc=$rc [$us]"
"$DD" scan -q -f json --scanners secret --insecure-registry "$H" --policy "$T/reg.yaml" "$H/alpine@$dg" > "$T/rs.json"; rc=$?
[ $rc = 0 ] && [ "$(jq -r .policy.decision "$T/rs.json")" = allow ] &&
  pass "scan --policy of a registry image: the verdict (allow) uses the same signature check" ||
  fail "scan --policy registry: rc=$rc $(jq -c .policy "$T/rs.json" | head -c 300)"
