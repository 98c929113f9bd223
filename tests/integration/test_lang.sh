#!/bin/bash
# tests/integration/test_lang.sh - application packages in images:
#  - node-app: the npm packages of `drydock sbom` (json) equal what the
#    image's layers hold (lang_oracle.py reads every node_modules/**/
#    package.json itself), with path, layer and purl; CycloneDX and SPDX
#    carry the same purls
#  - node-app with a DB imported from ../shared/data/feeds/osv-npm-sample:
#    `drydock scan` reports exactly the advisories the oracle computes
#    from the OSV files with its own SemVer order (id, node_modules path,
#    installed and fixed version), and nothing else from the sample
#  - a crafted image (demo/mkimage.py): scoped, nested and aliased
#    packages, dev flags from package-lock.json, an unreadable manifest
#    reported as a warning (exit 4, never a crash)
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
FEEDS=$ROOT/../shared/data/feeds
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

NA=$IMAGES/node-app
if [ -f "$NA/node-app-docker.tar" ]; then
  python3 "$HERE/lang_oracle.py" packages "$NA/node-app-docker.tar" | sort > "$T/want"
  for form in $(image_forms node-app | cut -d' ' -f2); do
    rc=0
    "$DD" sbom "$form" --format json -q > "$T/sbom.json" 2> "$T/err" || rc=$?
    jq -r '.packages[] | select(.type=="npm") | "\(.db_path)\t\(.name)\t\(.version)"' \
      "$T/sbom.json" | sort > "$T/got"
    if [ "$rc" = 0 ] && [ -s "$T/want" ] && cmp -s "$T/want" "$T/got"; then
      pass "lang node-app ($(basename "$form")): $(wc -l < "$T/got") npm packages equal the layers' node_modules"
    else
      fail "lang node-app ($(basename "$form")): rc=$rc $(diff "$T/want" "$T/got" | head -5 | tr '\n' ' ')"
    fi
  done
  bad=$(jq -r '.packages[] | select(.type=="npm") |
      select(.purl != ("pkg:npm/" + (.name | sub("^@"; "%40")) + "@" + .version)
             or .layer != 2 or .created_by == null) | .db_path' "$T/sbom.json")
  [ -z "$bad" ] && pass "lang node-app: purls pkg:npm/NAME@VERSION, layer 2 with its history step" ||
    fail "lang node-app: wrong purl/layer for $(echo $bad | head -c 300)"
  "$DD" sbom "$NA/oci" --format cyclonedx -q > "$T/cdx.json"
  "$DD" sbom "$NA/oci" --format spdx -q > "$T/spdx.json"
  jq -r '.packages[] | select(.type=="npm") | .purl' "$T/sbom.json" | sort > "$T/p.json"
  jq -r '.components[] | select((.purl // "") | startswith("pkg:npm/")) | .purl' "$T/cdx.json" | sort > "$T/p.cdx"
  jq -r '.packages[].externalRefs[]? | select(.referenceType=="purl") | .referenceLocator |
      select(startswith("pkg:npm/"))' "$T/spdx.json" | sort > "$T/p.spdx"
  if [ -s "$T/p.json" ] && cmp -s "$T/p.json" "$T/p.cdx" && cmp -s "$T/p.json" "$T/p.spdx"; then
    pass "lang node-app: CycloneDX and SPDX list the same $(wc -l < "$T/p.json") npm purls"
  else
    fail "lang node-app: purl sets differ (json $(wc -l < "$T/p.json"), cdx $(wc -l < "$T/p.cdx"), spdx $(wc -l < "$T/p.spdx"))"
  fi
  if [ -d "$FEEDS/osv-npm-sample" ]; then
    "$DD" db import --db "$T/npm.db" "$FEEDS/osv-npm-sample" > /dev/null 2>&1
    python3 "$HERE/lang_oracle.py" match "$NA/node-app-docker.tar" "$FEEDS/osv-npm-sample" |
      sort > "$T/vwant"
    rc=0
    "$DD" scan "$NA/oci" --db "$T/npm.db" --scanners vuln --format json -q \
      > "$T/scan.json" 2> "$T/err" || rc=$?
    jq -r '.findings[] | select(.kind=="vuln") |
        "\(.id)\t\(.path)\t\(.vulnerability.installed_version)\t\(.vulnerability.fixed_version // "")"' \
      "$T/scan.json" | sort > "$T/vgot"
    if [ -s "$T/vwant" ] && cmp -s "$T/vwant" "$T/vgot"; then
      pass "lang node-app: the $(wc -l < "$T/vgot") npm advisories of osv-npm-sample that apply, with paths and fixed versions, nothing else"
    else
      fail "lang node-app scan: rc=$rc $(diff "$T/vwant" "$T/vgot" | head -6 | tr '\n' ' ')"
    fi
    n=$(jq '[.findings[] | select(.vulnerability.package_type=="npm" and .vulnerability.namespace=="npm" and (.vulnerability.purl | startswith("pkg:npm/")))] | length' "$T/scan.json")
    [ "$n" = "$(wc -l < "$T/vwant")" ] && pass "lang node-app: findings carry type npm, namespace npm and the purl" ||
      fail "lang node-app: $n findings with npm type/namespace/purl"
  else
    skip "lang node-app scan: $FEEDS/osv-npm-sample is absent"
  fi
else
  skip "lang node-app: image not built (../shared/tools/images/make-images.sh small)"
fi

# ---- crafted image
C=$T/crafted; R=$C/root; mkdir -p "$R/etc" "$R/app/node_modules"
printf 'ID=debian\nVERSION_ID="12"\n' > "$R/etc/os-release"
pj() { mkdir -p "$R/$1"; printf '{"name":"%s","version":"%s","license":"MIT"}' "$2" "$3" > "$R/$1/package.json"; }
pj app/node_modules/@scope/pkg @scope/pkg 1.0.0
pj app/node_modules/lodash lodash 4.17.15
pj app/node_modules/a a 1.0.0
pj app/node_modules/a/node_modules/lodash lodash 3.10.1
pj app/node_modules/my-alias minimist 1.2.0
pj app/node_modules/jest jest 29.0.0
pj app/node_modules/a/lib not-a-package 9
mkdir -p "$R/app/node_modules/broken"; printf '{"name": "broken", "vers' > "$R/app/node_modules/broken/package.json"
cat > "$R/app/package-lock.json" <<'J'
{"lockfileVersion": 3, "packages": {"": {}, "node_modules/jest": {"version": "29.0.0", "dev": true},
 "node_modules/lodash": {"version": "4.17.15"}}}
J
tar --sort=name --owner=0 --group=0 --mtime=@0 -C "$R" -cf "$C/l.tar" .
cat > "$C/spec.json" <<J
{"out": "$C/img", "name": "crafted", "tag": "1", "layers": [{"tar": "$C/l.tar", "created_by": "npm install"}]}
J
python3 "$ROOT/demo/mkimage.py" "$C/spec.json" > /dev/null
rc=0
"$DD" sbom "$C/img/oci" --format json -q > "$C/s.json" 2> "$C/err" || rc=$?
got=$(jq -r '[.packages[] | select(.type=="npm") | "\(.db_path | sub("/package.json$"; ""))=\(.name)@\(.version)"] | sort | join(" ")' "$C/s.json")
want="app/node_modules/@scope/pkg=@scope/pkg@1.0.0 app/node_modules/a/node_modules/lodash=lodash@3.10.1 app/node_modules/a=a@1.0.0 app/node_modules/jest=jest@29.0.0 app/node_modules/lodash=lodash@4.17.15 app/node_modules/my-alias=minimist@1.2.0"
[ "$got" = "$want" ] && pass "lang crafted: scoped, nested and aliased packages, non-package manifests skipped" ||
  fail "lang crafted: got '$got'"
purl=$(jq -r '.packages[] | select(.name=="@scope/pkg") | .purl' "$C/s.json")
[ "$purl" = "pkg:npm/%40scope/pkg@1.0.0" ] && pass "lang crafted: scoped purl $purl" || fail "lang crafted: purl '$purl'"
if [ "$rc" = 4 ] && grep -q 'app/node_modules/broken/package.json (layer 0): not JSON: .*offset' "$C/err"; then
  pass "lang crafted: an unreadable manifest is one warning line (path, layer, offset), exit 4"
else
  fail "lang crafted: rc=$rc, $(head -c 300 "$C/err")"
fi
# dev flag on the finding (a DB with one record for jest)
mkdir -p "$C/osv"
cat > "$C/osv/TEST-JEST.json" <<'J'
{"id": "TEST-JEST", "modified": "2026-01-01T00:00:00Z", "summary": "test",
 "affected": [{"package": {"ecosystem": "npm", "name": "jest"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "29.1.0"}]}]},
   {"package": {"ecosystem": "npm", "name": "@scope/pkg"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.1"}]}]}]}
J
"$DD" db import --db "$C/db" "$C/osv" > /dev/null 2>&1
rc=0
"$DD" scan "$C/img/oci" --db "$C/db" --scanners vuln --format json -q > "$C/v.json" 2>/dev/null || rc=$?
got=$(jq -r '[.findings[] | "\(.path)|\(.evidence // "-")|\(.vulnerability.purl)"] | sort | join(" ")' "$C/v.json")
want="app/node_modules/@scope/pkg/package.json|-|pkg:npm/%40scope/pkg@1.0.0 app/node_modules/jest/package.json|dev dependency|pkg:npm/jest@29.0.0"
[ "$got" = "$want" ] && pass "lang crafted: findings name the node_modules path, scoped name matched, dev flag from package-lock.json" ||
  fail "lang crafted scan: rc=$rc got '$got'"

# ---- Python: bookworm-big's Debian python3-* packages vs importlib.metadata
BB=$IMAGES/bookworm-big
if [ -f "$BB/bookworm-big-docker.tar" ]; then
  python3 "$HERE/lang_oracle.py" pydists "$BB/bookworm-big-docker.tar" | sort > "$T/pwant"
  rc=0
  "$DD" sbom "$BB/oci" --format json -q > "$T/bb.json" 2>/dev/null || rc=$?
  jq -r '.packages[] | select(.type=="pypi") | "\(.db_path)\t\(.name)\t\(.version)"' "$T/bb.json" |
    sort > "$T/pgot"
  if [ -s "$T/pwant" ] && cmp -s "$T/pwant" "$T/pgot"; then
    pass "lang bookworm-big: $(wc -l < "$T/pgot") Python distributions equal importlib.metadata's listing of the same trees"
  else
    fail "lang bookworm-big python: rc=$rc $(diff "$T/pwant" "$T/pgot" | head -5 | tr '\n' ' ')"
  fi
else
  skip "lang bookworm-big: image not built"
fi

# ---- Python: a crafted tree (every metadata form, PEP 503 purls)
P=$T/py; R=$P/root; SP=$R/usr/lib/python3/dist-packages; mkdir -p "$SP" "$R/etc"
printf 'ID=debian\nVERSION_ID="12"\n' > "$R/etc/os-release"
mkdir -p "$SP/Foo_Bar.baz-1.0.dist-info"
printf 'Metadata-Version: 2.1\r\nName: Foo_Bar.baz\r\nVersion: 1.0\r\nLicense: BSD\r\n\r\n' > "$SP/Foo_Bar.baz-1.0.dist-info/METADATA"
printf 'Metadata-Version: 1.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n' > "$SP/six-1.16.0.egg-info"
mkdir -p "$SP/requests-2.31.0.egg-info"
printf 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n\n' > "$SP/requests-2.31.0.egg-info/PKG-INFO"
mkdir -p "$SP/eggy-0.1-py3.11.egg/EGG-INFO"
printf 'Metadata-Version: 2.1\nName: eggy\nVersion: 0.1\n' > "$SP/eggy-0.1-py3.11.egg/EGG-INFO/PKG-INFO"
mkdir -p "$SP/big-2.0.dist-info"
{ printf 'Metadata-Version: 2.1\nName: big\nVersion: 2.0\nLicense-Expression: MIT\n\n'; head -c 200000 /dev/zero | tr '\0' 'x'; } > "$SP/big-2.0.dist-info/METADATA"
mkdir -p "$SP/noname-1.dist-info"
printf 'Metadata-Version: 2.1\nVersion: 1\n' > "$SP/noname-1.dist-info/METADATA"
tar --sort=name --owner=0 --group=0 --mtime=@0 -C "$R" -cf "$P/l.tar" .
cat > "$P/spec.json" <<J
{"out": "$P/img", "name": "py", "tag": "1", "layers": [{"tar": "$P/l.tar", "created_by": "pip install"}]}
J
python3 "$ROOT/demo/mkimage.py" "$P/spec.json" > /dev/null
rc=0
"$DD" sbom "$P/img/oci" --format json -q > "$P/s.json" 2> "$P/err" || rc=$?
python3 "$HERE/lang_oracle.py" pydists "$R" | sort > "$P/want"
jq -r '.packages[] | select(.type=="pypi") | "\(.db_path)\t\(.name)\t\(.version)"' "$P/s.json" | sort > "$P/got"
if [ "$(wc -l < "$P/want")" = 5 ] && cmp -s "$P/want" "$P/got"; then
  pass "lang python fixture: METADATA, .egg-info file and dir, EGG-INFO, a 200 KB METADATA: equal importlib.metadata"
else
  fail "lang python fixture: $(diff "$P/want" "$P/got" | head -6 | tr '\n' ' ')"
fi
purl=$(jq -r '.packages[] | select(.name=="Foo_Bar.baz") | .purl' "$P/s.json")
[ "$purl" = "pkg:pypi/foo-bar-baz@1.0" ] && pass "lang python: PEP 503 purl $purl" || fail "lang python: purl '$purl'"
if [ "$rc" = 4 ] && grep -q 'noname-1.dist-info/METADATA (layer 0): no Name header' "$P/err"; then
  pass "lang python: metadata without Name is one warning line, exit 4"
else
  fail "lang python: rc=$rc $(head -c 300 "$P/err")"
fi
