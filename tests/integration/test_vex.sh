#!/bin/bash
# tests/integration/test_vex.sh - VEX documents on a real scan (--vex,
# docs/vex.md): a database built from feeds, the bookworm-minbase image
# with two advisories for bash; a document of each format (OpenVEX,
# CycloneDX, CSAF; tests/data/vex/) moves the named finding to the JSON
# report's "ignored" list with its reason and keeps the
# under_investigation one with that status; wrong-product and
# wrong-version documents suppress nothing; the image digest as product;
# --vex repeated; bad documents refused (exit 3, one line naming the
# file and the JSON path); and a real Debian advisory
# (../shared/data/feeds) retired on bookworm-stale-dpkg.
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
V=$ROOT/tests/data/vex
FEEDS=$ROOT/../shared/data/feeds
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
MB=$IMAGES/bookworm-minbase/oci
if [ ! -d "$MB" ]; then
  skip "vex: bookworm-minbase image not built"
  exit 0
fi
# two advisories for bash in Debian 12, one with a GHSA alias each
mkdir -p "$T/osv"
for n in 1 2; do
  g=$([ $n = 1 ] && echo GHSA-aaaa-bbbb-cccc || echo GHSA-dddd-eeee-ffff)
  cat > "$T/osv/CVE-2099-000$n.json" <<J
{"id": "CVE-2099-000$n", "modified": "2026-01-01T00:00:00Z", "summary": "test $n", "aliases": ["$g"],
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "bash"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.2.15-2+deb12u9"}]}]}]}
J
done
DB=$T/db/drydock.db
"$DD" db import --db "$DB" "$T/osv" > /dev/null 2> "$T/imp.err" || { fail "vex: db import: $(head -c 300 "$T/imp.err")"; exit 0; }
scan() { # out-json [--vex FILE]...
  local out=$1; shift
  "$DD" scan -q --scanners vuln --db "$DB" --db-max-age 30 --format json "$@" "$MB" > "$out" 2> "$out.err"
}
scan "$T/base.json"; rc=$?
ids=$(jq -r '[.findings[].id] | sort | join(" ")' "$T/base.json")
[ "$ids" = "CVE-2099-0001 CVE-2099-0002" ] && [ "$(jq '.ignored | length' "$T/base.json")" = 0 ] &&
  pass "vex: without --vex the scan reports CVE-2099-0001 and CVE-2099-0002 for bash" ||
  { fail "vex: baseline rc=$rc ids=[$ids] $(head -c 200 "$T/base.json.err")"; exit 0; }

for fmt in openvex cdx csaf; do
  f=$V/$fmt-suppress.json
  scan "$T/$fmt.json" --vex "$f"; rc=$?
  kept=$(jq -r '[.findings[] | "\(.id):\(.vulnerability.vex)"] | join(" ")' "$T/$fmt.json")
  ign=$(jq -r '[.ignored[] | "\(.id):\(.package):\(.reason)"] | join(" | ")' "$T/$fmt.json")
  case $fmt in
    openvex) just=vulnerable_code_not_in_execute_path ;;
    cdx) just=code_not_reachable ;;
    csaf) just=vulnerable_code_not_in_execute_path ;;
  esac
  if [ "$kept" = "CVE-2099-0002:under_investigation" ] &&
     [ "$ign" = "CVE-2099-0001:bash:vex: not_affected ($just) from $f" ] &&
     [ "$(jq '.summary.ignored // (.ignored | length)' "$T/$fmt.json")" = 1 ]; then
    pass "vex $fmt: CVE-2099-0001 moves to ignored (vex: not_affected ($just)), CVE-2099-0002 stays under_investigation"
  else
    fail "vex $fmt: rc=$rc kept=[$kept] ignored=[$ign] $(head -c 200 "$T/$fmt.json.err")"
  fi
  for bad in wrong-product wrong-version; do
    scan "$T/$fmt-$bad.json" --vex "$V/$fmt-$bad.json"; rc=$?
    ids=$(jq -r '[.findings[] | "\(.id):\(.vulnerability.vex)"] | sort | join(" ")' "$T/$fmt-$bad.json")
    n=$(jq '.ignored | length' "$T/$fmt-$bad.json")
    [ "$ids" = "CVE-2099-0001:null CVE-2099-0002:null" ] && [ "$n" = 0 ] &&
      pass "vex $fmt $bad: suppresses nothing" ||
      fail "vex $fmt $bad: rc=$rc ids=[$ids] ignored=$n $(head -c 200 "$T/$fmt-$bad.json.err")"
  done
done

# the image itself as the product: its manifest digest, right and wrong
dig=$(jq -r '.image.manifest_digest' "$T/base.json")
for d in "$dig" "sha256:$(printf '0%.0s' $(seq 64))"; do
  cat > "$T/digest.json" <<J
{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "t", "timestamp": "2026-01-10T00:00:00Z", "version": 1,
 "statements": [{"vulnerability": {"name": "CVE-2099-0002"}, "products": [{"@id": "$d"}], "status": "fixed"}]}
J
  scan "$T/dg.json" --vex "$T/digest.json"
  ign=$(jq -r '[.ignored[] | "\(.id):\(.reason)"] | join(" ")' "$T/dg.json")
  if [ "$d" = "$dig" ]; then
    [ "$ign" = "CVE-2099-0002:vex: fixed from $T/digest.json" ] &&
      pass "vex: the image's manifest digest as the product retires CVE-2099-0002 (fixed)" ||
      fail "vex digest: ignored=[$ign] (digest $dig)"
  else
    [ -z "$ign" ] && pass "vex: another digest as the product retires nothing" || fail "vex wrong digest: [$ign]"
  fi
done

# --vex repeated: CycloneDX retires 0001, the digest document 0002
sed "s/sha256:0*\"/$dig\"/" "$T/digest.json" > "$T/digest2.json"
scan "$T/two.json" --vex "$V/cdx-suppress.json" --vex "$T/digest2.json"; rc=$?
ign=$(jq -r '[.ignored[].id] | sort | join(" ")' "$T/two.json")
[ "$ign" = "CVE-2099-0001 CVE-2099-0002" ] && [ "$(jq '.findings | length' "$T/two.json")" = 0 ] &&
  pass "vex: --vex twice: both documents apply, nothing left" || fail "vex repeated: rc=$rc ignored=[$ign]"

# a later statement wins: 0001 affected (kept, noted), 0002 fixed
scan "$T/later.json" --vex "$V/openvex-later.json"
kept=$(jq -r '[.findings[] | "\(.id):\(.vulnerability.vex)"] | join(" ")' "$T/later.json")
ign=$(jq -r '[.ignored[].id] | join(" ")' "$T/later.json")
[ "$kept" = "CVE-2099-0001:affected" ] && [ "$ign" = CVE-2099-0002 ] &&
  pass "vex: the later statement wins (0001 affected and kept, 0002 fixed and ignored)" ||
  fail "vex later: kept=[$kept] ignored=[$ign]"

# bad documents: exit 3, one line naming the file and where
for b in bad-status:'$.statements[0].status' bad-cdx-state:'$.vulnerabilities[0].analysis.state' \
         bad-csaf-product:'$.vulnerabilities[0].product_status.fixed[0]'; do
  f=$V/${b%%:*}.json where=${b#*:}
  scan "$T/bad.json" --vex "$f"; rc=$?
  lines=$(wc -l < "$T/bad.json.err")
  [ $rc = 3 ] && [ "$lines" = 1 ] && grep -qF "$f: $where" "$T/bad.json.err" &&
    pass "vex: ${b%%:*} refused: exit 3, one line naming $where" ||
    fail "vex ${b%%:*}: rc=$rc lines=$lines $(head -c 300 "$T/bad.json.err")"
done
head -c $(( $(wc -c < "$V/csaf-suppress.json") / 2 )) "$V/csaf-suppress.json" > "$T/cut.json"
scan "$T/bad.json" --vex "$T/cut.json"; rc=$?
[ $rc = 3 ] && grep -q "cut.json: line .*invalid JSON" "$T/bad.json.err" &&
  pass "vex: a truncated document is refused (exit 3) with its line and offset" ||
  fail "vex truncated: rc=$rc $(head -c 300 "$T/bad.json.err")"
scan "$T/bad.json" --vex "$T/none.json"; rc=$?
[ $rc = 3 ] && grep -q "VEX file $T/none.json: no such file" "$T/bad.json.err" &&
  pass "vex: a missing document is refused (exit 3)" || fail "vex missing: rc=$rc $(cat "$T/bad.json.err")"

# a real advisory from the Debian OSV sample on bookworm-stale-dpkg
ST=$IMAGES/bookworm-stale-dpkg/oci
if [ -d "$ST" ] && [ -d "$FEEDS/osv-debian-sample" ]; then
  RDB=$T/rdb/drydock.db
  "$DD" db import --db "$RDB" "$FEEDS/osv-debian-sample" > /dev/null 2>&1
  "$DD" scan -q --scanners vuln --db "$RDB" --db-max-age 100000 --format json "$ST" > "$T/st0.json" 2>/dev/null
  n0=$(jq '[.findings[] | select(.id=="CVE-2023-4911")] | length' "$T/st0.json")
  name=$(jq -r '.image.name' "$T/st0.json")
  cat > "$T/real.json" <<J
{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
 "components": [{"bom-ref": "libc6", "purl": "pkg:deb/debian/libc6?distro=debian-12"},
                {"bom-ref": "libc-bin", "purl": "pkg:deb/debian/libc-bin"}],
 "vulnerabilities": [{"id": "CVE-2023-4911", "analysis": {"state": "not_affected", "justification": "requires_environment"},
   "affects": [{"ref": "libc6"}, {"ref": "libc-bin"}]}]}
J
  "$DD" scan -q --scanners vuln --db "$RDB" --db-max-age 100000 --format json --vex "$T/real.json" "$ST" > "$T/st1.json" 2>/dev/null
  n1=$(jq '[.findings[] | select(.id=="CVE-2023-4911")] | length' "$T/st1.json")
  ni=$(jq '[.ignored[] | select(.id=="CVE-2023-4911" and (.reason | startswith("vex: not_affected (requires_environment)")))] | length' "$T/st1.json")
  others=$(( $(jq '.findings | length' "$T/st0.json") - $(jq '.findings | length' "$T/st1.json") ))
  [ "$n0" -ge 1 ] && [ "$n1" = 0 ] && [ "$ni" = "$n0" ] && [ "$others" = "$n0" ] &&
    pass "vex: a real CVE-2023-4911 on bookworm-stale-dpkg ($name): its $n0 findings retired by a CycloneDX VEX, nothing else" ||
    fail "vex real: before $n0 after $n1 ignored $ni removed $others"
else
  skip "vex: bookworm-stale-dpkg or ../shared/data/feeds/osv-debian-sample absent"
fi

# the table says the VEX status of a finding it keeps
"$DD" scan -q --scanners vuln --db "$DB" --db-max-age 30 --no-color --vex "$V/openvex-suppress.json" "$MB" > "$T/tab.txt" 2>&1
grep -q "CVE-2099-0002 .*\[vex: under_investigation\] test 2" "$T/tab.txt" && ! grep -q CVE-2099-0001 "$T/tab.txt" &&
  pass "vex: the table marks CVE-2099-0002 [vex: under_investigation] and leaves out CVE-2099-0001" ||
  fail "vex table: $(grep -i bash "$T/tab.txt" | head -3)"

# a policy's vex: list applies to `scan --policy` and `policy check`
cat > "$T/pol.yaml" <<P
version: 1
default: allow
vex: [$V/csaf-suppress.json]
rules:
  - name: any
    images: "**"
    findings:
      - name: no-vulns
        kind: vuln
P
"$DD" scan -q --scanners vuln --db "$DB" --db-max-age 30 --format json --policy "$T/pol.yaml" "$MB" > "$T/pol.json" 2> "$T/pol.err"; rc=$?
ign=$(jq -r '[.ignored[].id] | join(" ")' "$T/pol.json")
why=$(jq -r '[.policy.reasons[].text] | join(" ")' "$T/pol.json")
[ $rc = 1 ] && [ "$ign" = CVE-2099-0001 ] && [[ "$why" == *CVE-2099-0002* ]] && [[ "$why" != *CVE-2099-0001* ]] &&
  pass "vex: a policy's vex: list retires CVE-2099-0001 in scan --policy; the threshold sees only CVE-2099-0002" ||
  fail "vex policy scan: rc=$rc ignored=[$ign] reasons=[$why] $(head -c 200 "$T/pol.err")"
sed "s|vex: \[.*\]|vex: [$V/csaf-suppress.json, $T/digest2.json]|" "$T/pol.yaml" > "$T/pol2.yaml"
"$DD" policy check "$MB" --policy "$T/pol2.yaml" --db "$DB" --format json > "$T/pc.json" 2> "$T/pc.err"; rc=$?
[ $rc = 0 ] && [ "$(jq -r .decision "$T/pc.json")" = allow ] &&
  pass "vex: policy check with two vex: documents: both findings retired, allow" ||
  fail "vex policy check: rc=$rc $(jq -c '[.decision, .reasons[].text]' "$T/pc.json" 2>/dev/null) $(head -c 200 "$T/pc.err")"
printf 'version: 1\nvex: {a: b}\nrules: []\n' > "$T/pol3.yaml"
"$DD" scan -q --scanners vuln --db "$DB" --policy "$T/pol3.yaml" "$MB" > /dev/null 2> "$T/pol3.err"; rc=$?
[ $rc = 2 ] && grep -q "vex: must be a string or a list of strings" "$T/pol3.err" &&
  pass "vex: a policy whose vex: is not a list is refused (exit 2)" || fail "vex policy bad: rc=$rc $(cat "$T/pol3.err")"
