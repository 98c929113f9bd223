#!/bin/bash
# tests/integration/test_sbom_input.sh - sbom:FILE as an input:
#  - round trips: `drydock sbom -f cyclonedx|spdx IMAGE` read back with
#    `scan sbom:FILE --scanners vuln` reports the same vulnerabilities (ids,
#    packages, versions) as the image, and `sbom sbom:FILE -f json` lists
#    the same packages, for alpine-3.20, bookworm-minbase,
#    bookworm-stale-dpkg and node-app, with a database built from
#    ../shared/data/feeds
#  - an SBOM npm itself wrote (`npm sbom`), when this npm has it
#  - the default scanners: secrets/malware/config said not checked
#  - hostile documents: XML, tag-value, not JSON, a component without a
#    version (warning naming it, exit 4), over the component budget
#    (HIGH budget.components, exit 4), over the size cap (exit 3)
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
FEEDS=$ROOT/../shared/data/feeds
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB="--db $T/db/drydock.db --db-max-age 36500 --skip-db-update"

# vulnerabilities of a JSON scan report as sorted "id package version" lines
vkey() { jq -r '[.findings[] | select(.vulnerability) | "\(.id) \(.vulnerability.package) \(.vulnerability.installed_version)"] | sort | .[]'; }
# packages of a drydock JSON inventory as sorted lines
pkey() { jq -r '"os \(.os.family) \(.os.version)", (.packages[] | "\(.type) \(.name) \(.version) \(.arch) \(.source_name) \(.source_version) \(.license) \(.purl)")' | sort; }

if [ -d "$FEEDS" ]; then
  "$DD" db import --db "$T/db/drydock.db" "$FEEDS"/* > /dev/null 2>&1
  for n in alpine-3.20 bookworm-minbase bookworm-stale-dpkg node-app; do
    img=$IMAGES/$n/oci
    if [ ! -d "$img" ]; then skip "sbom input $n: no test image at $img"; continue; fi
    "$DD" scan -q $DB --scanners vuln -f json "$img" > "$T/$n.scan.json" 2>/dev/null
    vkey < "$T/$n.scan.json" > "$T/$n.want"
    "$DD" sbom -q -f json "$img" 2>/dev/null | pkey > "$T/$n.pwant"
    for f in cyclonedx spdx; do
      "$DD" sbom -q -f $f -o "$T/$n.$f.json" "$img" 2>/dev/null
      "$DD" scan -q $DB --scanners vuln -f json "sbom:$T/$n.$f.json" > "$T/$n.$f.scan.json" 2>"$T/$n.$f.err"; rc=$?
      vkey < "$T/$n.$f.scan.json" > "$T/$n.$f.got"
      nv=$(wc -l < "$T/$n.want")
      if [ $rc -le 1 ] && [ -s "$T/$n.$f.scan.json" ] && cmp -s "$T/$n.want" "$T/$n.$f.got"; then
        pass "sbom input $n $f: scan sbom:FILE reports the image's $nv vulnerabilities (ids, packages, versions)"
      else
        fail "sbom input $n $f: rc=$rc $(diff "$T/$n.want" "$T/$n.$f.got" | head -6 | tr '\n' ' ') $(head -c 300 "$T/$n.$f.err")"
      fi
      "$DD" sbom -q -f json "sbom:$T/$n.$f.json" 2>/dev/null | pkey > "$T/$n.$f.pgot"
      npk=$(($(wc -l < "$T/$n.pwant") - 1))
      if [ "$npk" -gt 0 ] && cmp -s "$T/$n.pwant" "$T/$n.$f.pgot"; then
        pass "sbom input $n $f: sbom sbom:FILE re-emits the image's $npk packages and OS (type, name, version, arch, source, license, purl)"
      else
        fail "sbom input $n $f: package lists differ: $(diff "$T/$n.pwant" "$T/$n.$f.pgot" | head -6 | tr '\n' ' ')"
      fi
    done
  done
  # the namespace the OS gives is the image's
  ns_img=$(jq -r '"\(.database.namespace) \(.packages_checked)"' "$T/bookworm-minbase.scan.json" 2>/dev/null)
  ns_sb=$(jq -r '"\(.database.namespace) \(.packages_checked)"' "$T/bookworm-minbase.spdx.scan.json" 2>/dev/null)
  [ "$ns_img" = "$ns_sb" ] && [ "$ns_sb" != "null null" ] && pass "sbom input: the OS of an SPDX document gives the image's namespace and packages checked ($ns_sb)" ||
    fail "sbom input: namespace '$ns_sb', image '$ns_img'"
else
  skip "sbom input round trips: $FEEDS is absent"
fi

# ---- an SBOM npm wrote
if npm help sbom > /dev/null 2>&1; then
  mkdir -p "$T/npmproj"
  cat > "$T/npmproj/package.json" <<'J'
{"name": "sbom-fixture", "version": "1.0.0", "dependencies": {"express": "4.16.0", "cookie": "0.3.1"}}
J
  cat > "$T/npmproj/package-lock.json" <<'J'
{"name": "sbom-fixture", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
 "packages": {
  "": {"name": "sbom-fixture", "version": "1.0.0", "dependencies": {"express": "4.16.0", "cookie": "0.3.1"}},
  "node_modules/express": {"version": "4.16.0", "license": "MIT"},
  "node_modules/cookie": {"version": "0.3.1", "license": "MIT"}
 }}
J
  for f in cyclonedx spdx; do
    (cd "$T/npmproj" && timeout 120 npm sbom --package-lock-only --offline --sbom-format $f > "$T/npm.$f.json" 2>/dev/null)
    got=$("$DD" sbom -q -f json "sbom:$T/npm.$f.json" 2>"$T/npm.err" | jq -r '[.packages[] | "\(.type):\(.name)@\(.version)"] | join(" ")')
    [ "$got" = "npm:cookie@0.3.1 npm:express@4.16.0" ] &&
      pass "sbom input: npm sbom --sbom-format $f read: its dependencies, not the project itself ($got)" ||
      fail "sbom input npm $f: got '$got' $(head -c 300 "$T/npm.err")"
    if [ -d "$FEEDS/osv-npm-sample" ]; then
      ids=$("$DD" scan -q $DB --scanners vuln -f json "sbom:$T/npm.$f.json" 2>/dev/null |
        jq -r '[.findings[] | select(.vulnerability.package=="express") | .id] | sort | join(" ")')
      [[ "$ids" == *GHSA-qw6h-vgh9-j6wx* ]] && pass "sbom input: npm's $f SBOM matched (express: $ids)" ||
        fail "sbom input: npm $f SBOM, express advisories '$ids'"
    fi
  done
else
  skip "sbom input: this npm has no 'npm sbom'"
fi

# ---- what an SBOM cannot tell
if [ -f "$T/node-app.cyclonedx.json" ]; then
  "$DD" scan -q $DB -f json "sbom:$T/node-app.cyclonedx.json" > "$T/def.json" 2>/dev/null
  jq -e '.warnings | index("secret, malware, config not checked: an SBOM has no files")' "$T/def.json" > /dev/null &&
    pass "sbom input: default scanners: 'secret, malware, config not checked: an SBOM has no files' in the warnings" ||
    fail "sbom input: warnings $(jq -c .warnings "$T/def.json" | head -c 300)"
  "$DD" scan $DB "sbom:$T/node-app.cyclonedx.json" > "$T/def.txt" 2>&1
  grep -q "an SBOM has no files" "$T/def.txt" && pass "sbom input: the table says so too" ||
    fail "sbom input: table: $(head -c 300 "$T/def.txt")"
  "$DD" inspect "sbom:$T/node-app.cyclonedx.json" > "$T/insp.txt" 2>&1; rc=$?
  [ $rc = 0 ] && grep -q "(sbom)" "$T/insp.txt" && pass "sbom input: inspect sbom:FILE (exit 0, source sbom)" ||
    fail "sbom input: inspect rc=$rc $(head -c 200 "$T/insp.txt")"
fi

# ---- hostile documents
refuse() { # name file text
  "$DD" sbom -q "sbom:$2" > /dev/null 2>"$T/r.err"; local rc=$?
  if [ $rc = 3 ] && [ "$(wc -l < "$T/r.err")" = 1 ] && grep -qF "$3" "$T/r.err" && grep -qF "sbom:$2" "$T/r.err"; then
    pass "sbom input: $1 refused in one line naming the file (exit 3)"
  else
    fail "sbom input: $1: rc=$rc $(head -c 300 "$T/r.err")"
  fi
}
printf '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"/>\n' > "$T/x.xml"
refuse "CycloneDX XML" "$T/x.xml" "a CycloneDX XML document: drydock reads CycloneDX 1.4-1.6 JSON and SPDX 2.3 JSON"
printf 'SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n' > "$T/x.spdx"
refuse "SPDX tag-value" "$T/x.spdx" "an SPDX tag-value document"
printf 'hello\n' > "$T/x.txt"
refuse "not JSON" "$T/x.txt" "not JSON"
printf '{"packages": []}' > "$T/own.json"
refuse "JSON that is no SBOM" "$T/own.json" "neither 'bomFormat' (CycloneDX) nor 'spdxVersion' (SPDX)"
truncate -s 300M "$T/huge.json"
refuse "a 300 MiB file" "$T/huge.json" "over the 268435456-byte limit"
rm -f "$T/huge.json"

cat > "$T/nover.json" <<'J'
{"bomFormat": "CycloneDX", "specVersion": "1.9", "components": [
 {"type": "library", "purl": "pkg:npm/a@1.0.0"}, {"type": "library", "purl": "pkg:npm/b@1.0.0"},
 {"type": "library", "purl": "pkg:npm/c@1.0.0"}, {"type": "library", "name": "zlib", "purl": "pkg:npm/zlib"}]}
J
"$DD" sbom -f json "sbom:$T/nover.json" > "$T/nv.json" 2>"$T/nv.err"; rc=$?
if [ $rc = 4 ] && grep -qF "sbom:$T/nover.json: components[3]: no version ('zlib'): skipped" "$T/nv.err" &&
   [ "$(jq '.packages | length' "$T/nv.json")" = 3 ] && [ "$(jq .complete "$T/nv.json")" = false ]; then
  pass "sbom input: a component without a version is a warning naming components[3], the rest is read, incomplete (exit 4)"
else
  fail "sbom input: no version: rc=$rc $(head -c 400 "$T/nv.err")"
fi
grep -qF "specVersion '1.9' is not one drydock knows (1.4-1.6): read as 1.6" "$T/nv.err" &&
  pass "sbom input: an unknown specVersion is a warning, the document is read" ||
  fail "sbom input: specVersion warning: $(head -c 300 "$T/nv.err")"

# over the component budget (500,000): the release binary, the document is big
python3 - "$T/many.json" <<'P'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"bomFormat":"CycloneDX","specVersion":"1.6","components":[')
    f.write(",".join('{"type":"library","purl":"pkg:npm/p%d@1.0.0"}' % i for i in range(600000)))
    f.write("]}")
P
${DRYDOCK:-$DD} scan -q --scanners packages -f json "sbom:$T/many.json" > "$T/many.out" 2>"$T/many.err"; rc=$?
if [ $rc = 4 ] && jq -e '[.findings[] | select(.id=="budget.components" and .severity=="HIGH")] | length == 1' "$T/many.out" > /dev/null; then
  pass "sbom input: 600,000 components: HIGH budget.components, exit 4"
else
  fail "sbom input: budget: rc=$rc $(head -c 300 "$T/many.err") $(jq -c '[.findings[] | .id]' "$T/many.out" 2>/dev/null | head -c 200)"
fi
rm -f "$T/many.json"
