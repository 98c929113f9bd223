#!/bin/bash
# tests/integration/test_vulndb.sh - vulnerability database and matching:
#  - import of the real feeds in ../shared/data/feeds (malformed records
#    counted, never fatal), atomicity of a failed import
#  - crafted feeds exercising OSV range forms and the status model
#  - bookworm-stale-dpkg / bookworm-minbase / Alpine expectations
#  - output formats: JSON, SARIF validated against the official SARIF
#    2.1.0 schema (npm @microsoft/jest-sarif ships it), filters, ignore
#    file, exit codes, db info, db update when offline
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
FEEDS=$ROOT/../shared/data/feeds
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB=$T/db/drydock.db
PY=python3
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null && PY=/usr/bin/python3

# ---- crafted feeds: every range form and status, for bash in Debian 12
mkdir -p "$T/osv"
osv() { # id ecosystem events-json [versions-json] [urgency]
  local ver=${4:-null} urg=${5:-}
  local es=""
  [ -n "$urg" ] && es=", \"ecosystem_specific\": {\"urgency\": \"$urg\"}"
  cat > "$T/osv/$1.json" <<J
{"id": "$1", "modified": "2026-01-01T00:00:00Z", "summary": "test $1",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "$2", "name": "bash"},
   "ranges": [{"type": "ECOSYSTEM", "events": $3}] $( [ "$ver" != null ] && echo ", \"versions\": $ver")$es}]}
J
}
# (bash 5.2.15-2+b13 is a binNMU of source 5.2.15-2: advisories name
# source versions, so matching compares 5.2.15-2)
osv TEST-FIXED Debian:12 '[{"introduced":"0"},{"fixed":"5.2.15-2+deb12u1"}]'
osv TEST-EQUAL Debian:12 '[{"introduced":"0"},{"fixed":"5.2.15-2"}]'
osv TEST-LAST Debian:12 '[{"introduced":"0"},{"last_affected":"5.2.15-2"}]'
osv TEST-LATER Debian:12 '[{"introduced":"5.3"}]'
osv TEST-VERSIONS Debian:12 '[]' '["5.2.15-2"]'
osv TEST-OTHER-RELEASE Debian:11 '[{"introduced":"0"}]'
osv TEST-EOL Debian:12 '[{"introduced":"0"}]' null end-of-life
printf '{"id": "BROKEN-1", "affected": [' > "$T/osv/broken.json"
printf '[1, 2' > "$T/osv/truncated.json"   # not even an object: still counted, not skipped
echo 'notes' > "$T/osv/README.txt"        # other files in a feed directory are skipped
cat > "$T/tracker.json" <<'J'
{"bash": {
 "CVE-TEST-NOTAFF": {"description": "x", "releases": {"bookworm": {"status": "resolved", "fixed_version": "0", "urgency": "low"}}},
 "CVE-TEST-IGNORED": {"description": "y", "releases": {"bookworm": {"status": "open", "nodsa_reason": "ignored", "urgency": "low"}}},
 "CVE-TEST-POSTPONED": {"description": "z", "releases": {"bookworm": {"status": "open", "nodsa_reason": "postponed", "urgency": "medium"}}},
 "CVE-TEST-RESOLVED": {"description": "w", "releases": {"bookworm": {"status": "resolved", "fixed_version": "5.2.15-3", "urgency": "high"}}}
}}
J
cat > "$T/DSA.list" <<'L'
[01 Jan 2026] DSA-9999-1 bash - security update
	{CVE-TEST-RESOLVED}
	[bookworm] - bash 5.2.15-3
L
out=$("$DD" db import --db "$DB" "$T/osv" "$T/tracker.json" "$T/DSA.list" 2>"$T/imp.err"); rc=$?
if [ $rc = 0 ] && grep -q 'broken.json' "$T/imp.err" && grep -q 'truncated.json' "$T/imp.err" &&
   ! grep -q README "$T/imp.err" && [[ "$out" == *"2 malformed"* ]]; then
  pass "db import: crafted feeds imported, the broken records counted and named ($out)"
else
  fail "db import crafted: rc=$rc $out $(head -c 300 "$T/imp.err")"
fi
MB=$IMAGES/bookworm-minbase/oci
if [ -d "$MB" ]; then
  "$DD" scan -q --db "$DB" --format json --db-max-age 30 "$MB" > "$T/c.json"
  got=$(jq -r '[.findings[] | select(.vulnerability.package=="bash") | "\(.id)=\(.vulnerability.status)=\(.vulnerability.fixed_version)"] | sort | join(" ")' "$T/c.json")
  want="CVE-TEST-IGNORED=will_not_fix=null CVE-TEST-POSTPONED=deferred=null CVE-TEST-RESOLVED=fixed=5.2.15-3 TEST-EOL=end_of_life=null TEST-FIXED=fixed=5.2.15-2+deb12u1 TEST-LAST=affected=null TEST-VERSIONS=affected=null"
  if [ "$got" = "$want" ]; then
    pass "matching: OSV fixed/last_affected/versions/introduced-later, other release, tracker status model (not-affected, ignored, postponed, resolved), EOL"
  else
    fail "matching: got [$got] want [$want]"
  fi
  refs=$(jq -r '.findings[] | select(.id=="CVE-TEST-RESOLVED") | .vulnerability.references | join(",")' "$T/c.json")
  [ "$refs" = "DSA-9999-1" ] && pass "matching: DSA advisory folded into the CVE it fixes (references $refs)" ||
    fail "matching: DSA folding, references '$refs'"
  # filters and exit codes
  "$DD" scan -q --db "$DB" --db-max-age 30 --ignore-unfixed --severity CRITICAL --exit-code 7 --format json "$MB" > "$T/f.json"; rc=$?
  ids=$(jq -r '[.findings[].id] | sort | join(" ")' "$T/f.json")
  [ $rc = 7 ] && [ "$ids" = "TEST-FIXED" ] && pass "scan --ignore-unfixed --severity CRITICAL --exit-code 7: only TEST-FIXED, exit 7" ||
    fail "scan filters: rc=$rc ids=$ids"
  printf 'TEST-FIXED exp:2999-01-01 # accepted risk\nTEST-LAST exp:2001-01-01\n' > "$T/ignore"
  "$DD" scan --db "$DB" --db-max-age 30 --ignore-unfixed --ignore-file "$T/ignore" --exit-code 5 --format json "$MB" > "$T/g.json" 2> "$T/g.err"; rc=$?
  if [ $rc = 5 ] && ! jq -e '.findings[] | select(.id=="TEST-FIXED")' "$T/g.json" >/dev/null &&
     jq -e '.ignored[] | select(.id=="TEST-FIXED" and .reason=="accepted risk")' "$T/g.json" >/dev/null &&
     grep -q 'ignore of TEST-LAST expired on 2001-01-01' "$T/g.err"; then
    pass "scan --ignore-file: active entry hides TEST-FIXED (listed under ignored), expired entry reported"
  else
    fail "scan --ignore-file: rc=$rc $(head -c 300 "$T/g.err")"
  fi
  "$DD" scan -q --scanners vuln --db "$DB" --db-max-age 30 --severity LOW --ignore-unfixed --exit-code 3 "$MB" > /dev/null; rc=$?
  [ $rc = 0 ] && pass "scan --exit-code: 0 when no reported finding remains" || fail "scan exit code with nothing reported: $rc"
else
  skip "crafted-feed matching: bookworm-minbase image not built"
fi
# osv.dev all.zip archives: the crafted records zipped, plus a broken entry
python3 - "$T/osv" "$T/all.zip" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir(sys.argv[1])):
        z.write(os.path.join(sys.argv[1], f), f)
    z.writestr("notes.txt", "not a record")
PY
out=$("$DD" db import --db "$T/zip/drydock.db" "$T/all.zip" 2>"$T/zip.err"); rc=$?
if [ $rc = 0 ] && [[ "$out" == *"imported 7 records"*"2 malformed"* ]] && grep -q 'broken.json' "$T/zip.err" && grep -q 'truncated.json' "$T/zip.err"; then
  pass "db import of an osv.dev-style all.zip: 7 records, the two broken entries counted, notes.txt skipped ($out)"
else
  fail "db import zip: rc=$rc $out $(head -c 200 "$T/zip.err")"
fi
out=$("$DD" db match --db "$T/zip/drydock.db" debian:12 bash 5.2.15-2); rc=$?
[ $rc = 1 ] && [[ "$out" == *"TEST-FIXED"*"5.2.15-2+deb12u1"* ]] && [[ "$out" != *TEST-EQUAL* ]] &&
  pass "db match: any (namespace, package, version) triple" || fail "db match: rc=$rc $out"

# atomicity: a failed import leaves the database as it was
sum=$(sha256sum "$DB" | cut -d' ' -f1)
echo 'not a feed' > "$T/junk.txt"
"$DD" db import --db "$DB" "$T/osv" "$T/junk.txt" > /dev/null 2> "$T/junk.err"; rc=$?
if [ $rc = 2 ] && [ "$(sha256sum "$DB" | cut -d' ' -f1)" = "$sum" ] && grep -q 'not changed' "$T/junk.err" &&
   [ -z "$(ls "$(dirname "$DB")" | grep tmp)" ]; then
  pass "db import: a failed import leaves the previous database byte for byte, no temp file left"
else
  fail "db import atomicity: rc=$rc $(cat "$T/junk.err")"
fi

# ---- the real feeds
if [ -d "$FEEDS" ]; then
  RDB=$T/real/drydock.db
  out=$("$DD" db import --db "$RDB" "$FEEDS/osv-debian-sample" "$FEEDS/debian-tracker-2023-04/DSA.list" \
        "$FEEDS/debian-tracker-2023-04/DLA.list" "$FEEDS/alpine-secdb-2020" "$FEEDS/osv-npm-sample" 2>"$T/real.err"); rc=$?
  n=$(echo "$out" | grep -o 'imported [0-9]*' | grep -o '[0-9]*')
  if [ $rc = 0 ] && [ "${n:-0}" -gt 15000 ] && [ -s "$T/real.err" ]; then
    pass "db import of ../shared/data/feeds: $out"
  else
    fail "db import real feeds: rc=$rc $out"
  fi
  out=$("$DD" db match --db "$RDB" npm lodash 4.17.20); rc=$?
  [ $rc = 1 ] && [[ "$out" == *GHSA-35jh-r3h4-6jhm*4.17.21* ]] && [[ "$out" == *"2 advisories"* ]] &&
    pass "db match npm lodash 4.17.20: the GHSA records of the npm sample (semver ranges)" ||
    fail "db match npm: rc=$rc $out"
  "$DD" db info --db "$RDB" --format json > "$T/info.json"
  nf=$(jq '.feeds | length' "$T/info.json")
  deb=$(jq -r '.feeds[] | select(.name=="osv:osv-debian-sample") | "\(.records) \(.namespaces)"' "$T/info.json")
  [ "$nf" -ge 20 ] && [[ "$deb" == "18 "*debian:12* ]] && pass "db info: $nf feeds, osv-debian-sample $deb" ||
    fail "db info: $nf feeds, '$deb'"
  ST=$IMAGES/bookworm-stale-dpkg/oci
  if [ -d "$ST" ]; then
    "$DD" scan -q --db "$RDB" --format json "$ST" > "$T/st.json"; rc=$?
    got=$(jq -r '[.findings[] | select(.vulnerability.status=="fixed") | "\(.vulnerability.source_package):\(.id):\(.vulnerability.fixed_version)"] | unique | sort | join(" ")' "$T/st.json")
    want="gcc-12:CVE-2023-4039:12.2.0-14+deb12u1 glibc:CVE-2023-4911:2.36-9+deb12u3 glibc:CVE-2024-2961:2.36-9+deb12u6 glibc:CVE-2025-4802:2.36-9+deb12u11 perl:CVE-2023-31484:5.36.0-7+deb12u3 perl:CVE-2023-47038:5.36.0-7+deb12u1 util-linux:CVE-2024-28085:2.38.1-5+deb12u1"
    if [ $rc = 1 ] && [ "$got" = "$want" ]; then
      pass "bookworm-stale-dpkg: the fixed glibc/perl/util-linux/gcc-12 advisories with their fixed versions"
    else
      fail "bookworm-stale-dpkg: rc=$rc got [$got]"
    fi
    l=$(jq -r '[.findings[] | select(.vulnerability.package=="libc6") | .layer] | unique | join(",")' "$T/st.json")
    [ "$l" = 1 ] && pass "bookworm-stale-dpkg: glibc findings point at layer 1 (the layer that changed it)" || fail "stale layer: $l"
    jq -e '[.findings[] | select(.id=="CVE-2024-3094" or .id=="DEBIAN-CVE-2024-3094")] | length == 0' "$T/st.json" >/dev/null &&
      pass "a record with no Debian 12 entry (CVE-2024-3094) never matches" || fail "CVE-2024-3094 matched"
  fi
  if [ -d "$MB" ]; then
    "$DD" scan -q --db "$RDB" --format json "$MB" > "$T/mb.json"
    st=$(jq -r '[.findings[] | select(.kind=="vuln") | .vulnerability.status] | unique | join(",")' "$T/mb.json")
    n=$(jq '[.findings[] | select(.kind=="vuln")] | length' "$T/mb.json")
    [ "$st" = affected ] && [ "$n" -gt 0 ] && pass "bookworm-minbase: only unfixed advisories ($n)" || fail "minbase statuses: $st ($n)"
  fi
  for a in alpine-3.9 alpine-3.10 alpine-3.11; do
    [ -d "$IMAGES/$a/oci" ] || continue
    "$DD" scan -q --db "$RDB" --format json "$IMAGES/$a/oci" > "$T/a.json"
    n=$(jq '[.findings[] | select(.kind=="vuln")] | length' "$T/a.json")
    [ "$n" = 0 ] && pass "$a: nothing reported (every package is at or past its 2020 secdb fix)" || fail "$a: $n findings"
  done
  # positive control: an Alpine 3.10 image with an old openssl
  A=$T/alp; mkdir -p "$A/root/etc" "$A/root/lib/apk/db"
  printf 'ID=alpine\nVERSION_ID=3.10.9\n' > "$A/root/etc/os-release"
  printf 'P:libcrypto1.1\nV:1.1.1b-r0\nA:x86_64\no:openssl\n\n' > "$A/root/lib/apk/db/installed"
  tar --sort=name --owner=0 --group=0 --mtime=@0 -C "$A/root" -cf "$A/l.tar" .
  echo "{\"out\": \"$A/img\", \"name\": \"alp\", \"tag\": \"1\", \"layers\": [{\"tar\": \"$A/l.tar\", \"created_by\": \"x\"}]}" > "$A/spec.json"
  python3 "$ROOT/demo/mkimage.py" "$A/spec.json" > /dev/null
  "$DD" scan -q --db "$RDB" --format json "$A/img/oci" > "$T/alp.json"
  got=$(jq -r '[.findings[] | select(.kind=="vuln") | .id] | sort | join(" ")' "$T/alp.json")
  # what the secdb implies: every openssl fix newer than 1.1.1b-r0 in v3.10/main
  want=$(awk '/^  - pkg:/{p=0} /name: openssl$/{p=1} p&&/^        [0-9]/{v=$1; sub(":","",v)} p&&/^          - /{print v "\t" $2}' \
         "$FEEDS/alpine-secdb-2020/v3.10/main.yaml" |
         while IFS=$'\t' read -r v id; do
           [ "$("$DD" vercmp apk 1.1.1b-r0 "$v")" = -1 ] && echo "$id"
         done | sort -u | tr '\n' ' ' | sed 's/ $//')
  if [ -n "$want" ] && [ "$got" = "$want" ]; then
    pass "alpine 3.10 with openssl 1.1.1b-r0: exactly the secdb's newer fixes ($got)"
  else
    fail "alpine positive control: got [$got] want [$want]"
  fi
  # SARIF against the official schema
  SCH=${XDG_CACHE_HOME:-$HOME/.cache}/drydock-schemas/jest-sarif-1.0.0-beta.0
  if [ ! -f "$SCH/package/lib/schemas/sarif-2.1.0-rtm.5.json" ]; then
    mkdir -p "$SCH"
    (cd "$SCH" && timeout 120 npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null 2>&1 &&
      tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz) || true
  fi
  if [ -f "$SCH/package/lib/schemas/sarif-2.1.0-rtm.5.json" ] && [ -d "$ST" ]; then
    "$DD" scan -q --db "$RDB" --format sarif -o "$T/s.sarif" "$ST"
    if out=$($PY - "$SCH/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$T/s.sarif" <<'PY'
import json, sys, jsonschema
s = json.load(open(sys.argv[1])); d = json.load(open(sys.argv[2]))
errs = list(jsonschema.validators.validator_for(s)(s).iter_errors(d))
run = d["runs"][0]
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
bad = [r for r in run["results"] if ids[r["ruleIndex"]] != r["ruleId"]]
if errs or bad or len(ids) != len(set(ids)) or not run["results"]:
    print([e.message[:200] for e in errs[:3]], len(bad)); sys.exit(1)
print(f"{len(run['results'])} results, {len(ids)} rules")
PY
); then
      pass "SARIF: valid against the official SARIF 2.1.0 schema, rule indexes consistent ($out)"
    else
      fail "SARIF: $out"
    fi
  else
    skip "SARIF schema: npm @microsoft/jest-sarif unavailable"
  fi
  # the JSON document's stable fields
  if jq -e '.schema=="drydock-scan/1" and (.findings[0] | has("id") and has("severity") and has("layer") and (.vulnerability | has("installed_version") and has("fixed_version") and has("status") and has("purl")))' "$T/st.json" >/dev/null; then
    pass "scan JSON: schema drydock-scan/1 with the documented fields"
  else
    fail "scan JSON fields"
  fi
else
  skip "real feeds: $FEEDS is absent"
fi

# ---- db update from a local https mirror (TLS with our own CA)
if command -v openssl >/dev/null; then
  M=$T/mirror; mkdir -p "$M/www/v3.22" "$M/www/v3.21" "$M/www/v3.20" "$M/www/v3.19" "$M/www/v3.18"
  for r in v3.22 v3.21 v3.20 v3.19 v3.18; do
    for repo in main community; do
      printf '{"distroversion": "%s", "reponame": "%s", "packages": [{"pkg": {"name": "zlib", "secfixes": {"1.3.1-r9": ["CVE-2099-0001"]}}}]}' \
        "$r" "$repo" > "$M/www/$r/$repo.json"
    done
  done
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$M/key.pem" -out "$M/cert.pem" 2>/dev/null
  python3 "$HERE/https_server.py" "$M/www" "$M/cert.pem" "$M/key.pem" "$M/port" "$M/log" &
  SRV=$!
  for _ in $(seq 50); do [ -s "$M/port" ] && break; sleep 0.1; done
  PORT=$(cat "$M/port" 2>/dev/null)
  UDB=$T/upd/drydock.db
  out=$("$DD" db update -q --db "$UDB" --feeds alpine --mirror "https://127.0.0.1:$PORT/" --ca-file "$M/cert.pem" 2>&1); rc=$?
  if [ $rc = 0 ] && [[ "$out" == *"8 records from 8 feeds"* ]] && [ "$(grep -c '^GET' "$M/log")" = 8 ]; then
    pass "db update via an https mirror: 8 secdb files downloaded and imported ($out)"
  else
    fail "db update mirror: rc=$rc $out"
  fi
  out=$("$DD" db update --db "$UDB" --feeds alpine --mirror "https://127.0.0.1:$PORT/" --ca-file "$M/cert.pem" 2>&1); rc=$?
  if [ $rc = 0 ] && [ "$(grep -c 'not modified' <<< "$out")" = 8 ] && [ "$(grep -c '^conditional' "$M/log")" = 8 ]; then
    pass "db update again: conditional requests, 8 x 304 not modified, cached copies re-imported"
  else
    fail "db update conditional: rc=$rc $(echo "$out" | head -3)"
  fi
  # a mirror serving an error page instead of JSON: refused, cache kept
  cp "$M/www/v3.22/main.json" "$M/good.json"
  echo '<html>503</html>' > "$M/www/v3.22/main.json"
  touch -d '2099-01-01' "$M/www/v3.22/main.json"
  out=$("$DD" db update -q --db "$UDB" --feeds alpine --mirror "https://127.0.0.1:$PORT/" --ca-file "$M/cert.pem" 2>&1); rc=$?
  [ $rc = 3 ] && [[ "$out" == *"not a JSON document"* ]] && grep -q zlib "$(dirname "$UDB")/feeds/alpine-v3.22-main.json" &&
    pass "db update refuses a download that is not the feed's format; the cached copy stays" ||
    fail "db update format check: rc=$rc $out"
  cp "$M/good.json" "$M/www/v3.22/main.json"
  "$DD" db update -q --db "$T/upd2/drydock.db" --feeds alpine --mirror "https://127.0.0.1:$PORT/" > /dev/null 2> "$T/tls.err"; rc=$?
  [ $rc = 3 ] && grep -qi 'certificate' "$T/tls.err" && pass "db update refuses a server whose certificate it cannot verify" ||
    fail "db update TLS verification: rc=$rc $(head -c 200 "$T/tls.err")"
  "$DD" db update -q --db "$T/upd3/drydock.db" --mirror "http://127.0.0.1:$PORT/" > /dev/null 2>&1; rc=$?
  [ $rc = 2 ] && pass "db update refuses a plain-http mirror" || fail "db update http mirror: rc=$rc"
  kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null
else
  skip "db update mirror test: openssl not installed"
fi

# ---- no database / offline update
"$DD" scan --scanners vuln --db "$T/none.db" "$MB" > /dev/null 2> "$T/none.err"; rc=$?
[ $rc = 3 ] && grep -q 'db update' "$T/none.err" && pass "scan --scanners vuln without a database: one line pointing at db update/import, exit 3" ||
  fail "scan without db: rc=$rc $(cat "$T/none.err")"
"$DD" scan --db "$T/none.db" "$MB" > /dev/null 2> "$T/none2.err"; rc=$?
[ $rc = 3 ] && grep -q 'vulnerabilities were NOT checked' "$T/none2.err" && [ "$(wc -l < "$T/none2.err")" = 1 ] &&
  pass "scan (default scanners) with a --db that does not exist: one line, vulnerabilities NOT checked, exit 3" ||
  fail "scan default without db: rc=$rc $(cat "$T/none2.err")"
https_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 timeout 60 "$DD" db update --db "$T/up/drydock.db" --feeds alpine -q > /dev/null 2> "$T/up.err"; rc=$?
if [ $rc = 3 ] && [ "$(wc -l < "$T/up.err")" = 1 ] && grep -q 'offline?' "$T/up.err" && grep -q 'db import' "$T/up.err"; then
  pass "db update offline: one line saying so and suggesting db import, exit 3"
else
  fail "db update offline: rc=$rc $(cat "$T/up.err")"
fi
