#!/usr/bin/env bash
# tests/integration/test_license.sh - package licenses: bookworm-big's dpkg
# licenses against an independent oracle (license_oracle.py reads the DEP-5
# copyright files of the layers), SPDX/CycloneDX validity with the
# normalised expressions, and --scanners license on an fs: fixture with
# one AGPL package (exactly one HIGH license.forbidden) and with a
# --license-config override (also from drydock.yaml).
cd "$(dirname "$0")" || exit 1
. ./lib.sh
D=${DRYDOCK:-../../build/drydock}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
BB=$IMAGES/bookworm-big/oci
if [ -d "$BB" ]; then
  "$D" sbom -f json -o "$T/bb.json" "$BB" 2>/dev/null
  python3 license_oracle.py "$BB" > "$T/oracle.json"
  if python3 - "$T/bb.json" "$T/oracle.json" > "$T/cmp" 2>&1 <<'EOF2'
import json, sys
pk = [p for p in json.load(open(sys.argv[1]))["packages"] if p["type"] == "dpkg"]
orc = json.load(open(sys.argv[2]))
bad, same = [], 0
for p in pk:
    want = orc.get(p["name"])
    if want is None:
        continue
    if p.get("license_declared") != want:
        bad.append((p["name"], p.get("license_declared"), want))
    else:
        same += 1
withlic = sum(1 for p in pk if p.get("license"))
print("dpkg packages %d, with a license %d, DEP-5 checked %d, wrong %d" % (len(pk), withlic, same, len(bad)))
for b in bad[:5]:
    print("  ", b)
sys.exit(1 if bad or same < 100 else 0)
EOF2
  then pass "bookworm-big dpkg licenses = oracle: $(head -1 "$T/cmp")"
  else fail "bookworm-big dpkg licenses: $(head -6 "$T/cmp")"; fi
  for f in spdx cyclonedx; do
    "$D" sbom -f $f -o "$T/bb.$f" "$BB" 2>/dev/null
  done
  if python3 - "$T/bb.spdx" "$T/bb.cyclonedx" <<'EOF2'
import json, re, sys
spdx = json.load(open(sys.argv[1]))
cdx = json.load(open(sys.argv[2]))
tok = re.compile(r"\(|\)|AND|OR|WITH|[A-Za-z0-9.\-+]+")
def valid(e):
    # SPDX 2.3 license-expression: ids / LicenseRef-, AND/OR/WITH, parens
    depth, prev = 0, "op"
    for t in tok.findall(e):
        if t == "(": depth += 1; prev = "op"
        elif t == ")": depth -= 1; prev = "id"
        elif t in ("AND", "OR", "WITH"):
            if prev == "op": return False
            prev = "op"
        else:
            if prev == "id": return False
            prev = "id"
        if depth < 0: return False
    return depth == 0 and prev == "id" and "".join(tok.findall(e)) == e.replace(" ", "")
refs = {x["licenseId"] for x in spdx.get("hasExtractedLicensingInfos", [])}
n = 0
for p in spdx["packages"]:
    d = p["licenseDeclared"]
    if d == "NOASSERTION": continue
    n += 1
    assert valid(d), d
    assert p["licenseConcluded"] == "NOASSERTION"
    for r in re.findall(r"LicenseRef-[A-Za-z0-9.\-]+", d):
        assert r in refs, r
assert n > 100, n
kinds = set()
for c in cdx["components"]:
    for l in c.get("licenses", []):
        if "expression" in l: kinds.add("expression"); assert valid(l["expression"])
        elif "id" in l["license"]: kinds.add("id")
        else: kinds.add("name")
assert {"expression", "id"} <= kinds, kinds
EOF2
  then pass "bookworm-big: every SPDX licenseDeclared and CycloneDX expression is a valid SPDX expression, LicenseRefs extracted, ids and expressions used"
  else fail "bookworm-big: sbom license expressions"; fi
else
  skip "bookworm-big not built"
fi

# a rootfs with dpkg packages whose doc directories link to each other
R=$T/rootfs
mkdir -p "$R/var/lib/dpkg" "$R/usr/share/doc/pa" "$R/usr/share/doc/pc" "$R/usr/share/doc/pe"
for p in pa pb pc pd pe; do
  printf 'Package: %s\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\n' $p
done > "$R/var/lib/dpkg/status"
printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: GPL-2+\n\nFiles: x/*\nLicense: Expat\n' > "$R/usr/share/doc/pa/copyright"
ln -s pa "$R/usr/share/doc/pb"
ln -s ../pa/copyright "$R/usr/share/doc/pc/copyright"
ln -s ../../../etc "$R/usr/share/doc/pd"
printf 'Free text. See /usr/share/common-licenses/LGPL-2.1 and any later version.\n' > "$R/usr/share/doc/pe/copyright"
r=$("$D" sbom -f json "rootfs:$R" 2>/dev/null | python3 -c "
import json,sys; print(' '.join('%s=%s' % (p['name'], p['license']) for p in json.load(sys.stdin)['packages']))")
[ "$r" = "pa=GPL-2.0-or-later AND MIT pb=GPL-2.0-or-later AND MIT pc=GPL-2.0-or-later AND MIT pd=None pe=LGPL-2.1-or-later" ] && pass "dpkg copyright: DEP-5, linked doc dir, linked copyright file, escaping link ignored, common-licenses reference" || fail "dpkg copyright links: $r"

# the existing checker (official CycloneDX 1.6 schema, SPDX field checks)
# on the images test_sbom.sh checks, now with normalised licenses
PY=python3
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null && PY=/usr/bin/python3
SCHEMA=${XDG_CACHE_HOME:-$HOME/.cache}/drydock-schemas/cyclonedx-library-10.3.0/package/res/schema
for img in alpine-3.20 bookworm-stale-dpkg; do
  oci=$IMAGES/$img/oci
  [ -d "$oci" ] || { skip "$img not built"; continue; }
  "$D" sbom -f cyclonedx -q -o "$T/$img.cdx" "$oci"
  "$D" sbom -f spdx -q -o "$T/$img.spdx" "$oci"
  nl=$(python3 -c "import json; print(sum(1 for c in json.load(open('$T/$img.cdx'))['components'] if c.get('licenses')))")
  if [ -f "$SCHEMA/bom-1.6.SNAPSHOT.schema.json" ]; then
    out=$($PY sbom_check.py cyclonedx "$T/$img.cdx" "$SCHEMA" 2>&1) && pass "CycloneDX $img with $nl licensed components: schema-valid ($out)" || fail "CycloneDX $img: $out"
  else
    skip "CycloneDX $img: schema package not cached"
  fi
  out=$($PY sbom_check.py spdx "$T/$img.spdx" 2>&1) && pass "SPDX $img: sbom_check ($out)" || fail "SPDX $img: $out"
done

# fs: fixture: one forbidden (AGPL), one restricted-or-notice (OR), one notice
F=$T/proj
mkdir -p "$F/node_modules/evil" "$F/node_modules/ok" "$F/node_modules/dual" "$F/node_modules/gpl"
echo '{"name":"evil","version":"1.0.0","license":"AGPL-3.0-only"}' > "$F/node_modules/evil/package.json"
echo '{"name":"ok","version":"2.0.0","license":"MIT"}' > "$F/node_modules/ok/package.json"
echo '{"name":"dual","version":"3.0.0","license":"(GPL-2.0 OR MIT)"}' > "$F/node_modules/dual/package.json"
echo '{"name":"gpl","version":"4.0.0","licenses":[{"type":"GPL-3.0-or-later"}]}' > "$F/node_modules/gpl/package.json"
# a jar whose pom.xml declares two licenses (deflated members)
python3 - "$F/lib/dual-lib-1.2.jar" <<'EOF2'
import os, sys, zipfile
os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
    z.writestr("META-INF/maven/org.ex/dual-lib/pom.properties",
               "groupId=org.ex\nartifactId=dual-lib\nversion=1.2\n")
    z.writestr("META-INF/maven/org.ex/dual-lib/pom.xml",
               "<project><name>x</name><licenses>\n <license>\n  <name>The Apache Software License, Version 2.0</name>\n"
               "  <url>u</url>\n </license>\n <license><name>GNU Lesser General Public License v2.1 or later</name></license>\n"
               "</licenses><developers><developer><name>Me</name></developer></developers></project>")
EOF2
"$D" sbom -f json "fs:$F" 2>/dev/null | python3 -c "
import json,sys
p=[p for p in json.load(sys.stdin)['packages'] if p['type']=='maven']
assert len(p)==1, p
assert p[0]['license_declared']=='The Apache Software License, Version 2.0 OR GNU Lesser General Public License v2.1 or later', p[0]
assert p[0]['license']=='Apache-2.0 OR LGPL-2.1-or-later', p[0]['license']
" && pass "maven: pom.xml <licenses> of a jar -> Apache-2.0 OR LGPL-2.1-or-later" || fail "maven pom.xml licenses"
"$D" scan --scanners license -f json -o "$T/l.json" "fs:$F" 2>/dev/null
rc=$?
r=$(python3 -c "
import json; f=json.load(open('$T/l.json'))['findings']
print(sorted((x['id'], x['severity'], x['path']) for x in f))" 2>&1)
want="[('license.forbidden', 'HIGH', 'node_modules/evil/package.json'), ('license.restricted', 'MEDIUM', 'node_modules/gpl/package.json')]"
[ "$r" = "$want" ] && [ $rc = 1 ] && pass "--scanners license: exactly one HIGH license.forbidden (AGPL), one MEDIUM restricted, OR takes the least (exit 1)" || fail "license scan: rc=$rc $r"
"$D" scan --scanners license "fs:$F" > "$T/table" 2>/dev/null
grep -q "^Licenses (2)" "$T/table" && grep -q "license.forbidden" "$T/table" &&
  grep -q "^  licenses  *5 packages checked (0 declare no license)" "$T/table" && pass "table: Licenses section and status line" || fail "table: $(cat "$T/table" | head -9 | tail -2)"
"$D" scan --scanners license -f sarif "fs:$F" 2>/dev/null | python3 -c "
import json,sys; d=json.load(sys.stdin); ids={r['ruleId'] for r in d['runs'][0]['results']}; assert ids=={'license.forbidden','license.restricted'}, ids" && pass "sarif: license rules" || fail "sarif"
"$D" scan --scanners license -f junit "fs:$F" 2>/dev/null | grep -q '<testsuite name="licenses" tests="2" failures="1"' && pass "junit: licenses suite" || fail "junit licenses suite"
"$D" scan "fs:$F" --scanners secret 2>/dev/null | grep -q "^  licenses" && fail "licenses section shown without the scanner" || pass "default scanners: no licenses section"
# overrides: AGPL allowed, GPL forbidden, from --license-config and drydock.yaml
echo '{"notice": ["AGPL-3.0-only"], "forbidden": ["GPL-*"]}' > "$T/lic.json"
r=$("$D" scan --scanners license --license-config "$T/lic.json" -f json "fs:$F" 2>/dev/null | python3 -c "
import json,sys; print(sorted((x['id'], x['path']) for x in json.load(sys.stdin)['findings']))")
[ "$r" = "[('license.forbidden', 'node_modules/gpl/package.json')]" ] && pass "--license-config: AGPL moved to notice, GPL-* forbidden" || fail "license-config: $r"
printf 'license-config: %s\n' "$T/lic.json" > "$T/drydock.yaml"
r=$("$D" scan --config "$T/drydock.yaml" --scanners license -f json "fs:$F" 2>/dev/null | python3 -c "
import json,sys; print(sorted((x['id'], x['path']) for x in json.load(sys.stdin)['findings']))")
[ "$r" = "[('license.forbidden', 'node_modules/gpl/package.json')]" ] && pass "drydock.yaml license-config" || fail "drydock.yaml: $r"
r=$(DRYDOCK_LICENSE_CONFIG="$T/lic.json" "$D" scan --scanners license -f json "fs:$F" 2>/dev/null | python3 -c "
import json,sys; print(sorted(x['id'] for x in json.load(sys.stdin)['findings']))")
[ "$r" = "['license.forbidden']" ] && pass "DRYDOCK_LICENSE_CONFIG" || fail "env license config: $r"
echo "license.forbidden  # reviewed" > "$T/ign"
r=$("$D" scan --scanners license --ignore-file "$T/ign" -f json "fs:$F" 2>/dev/null | python3 -c "
import json,sys; print(sorted(x['id'] for x in json.load(sys.stdin)['findings']))")
[ "$r" = "['license.restricted']" ] && pass "ignore file: license.forbidden ignored" || fail "ignore: $r"
# Trivy's --ignored-licenses: never reported (unencumbered)
r=$("$D" scan --scanners license --ignored-licenses AGPL-3.0-only -f json "fs:$F" 2>/dev/null | python3 -c "
import json,sys; print(sorted(x['id'] for x in json.load(sys.stdin)['findings']))")
[ "$r" = "['license.restricted']" ] && pass "--ignored-licenses AGPL-3.0-only" || fail "ignored-licenses: $r"
printf 'ignored-licenses:\n  - "AGPL-*"\n  - GPL-3.0-or-later\n' > "$T/ign.yaml"
r=$("$D" scan --config "$T/ign.yaml" --scanners license -f json "fs:$F" 2>/dev/null | python3 -c "
import json,sys; print(len(json.load(sys.stdin)['findings']))")
[ "$r" = 0 ] && pass "drydock.yaml ignored-licenses list: no findings" || fail "yaml ignored-licenses: $r"
"$D" scan --scanners license --ignored-licenses 'MIT,bad pattern!' "fs:$F" > /dev/null 2> "$T/err"
rc=$?
[ $rc = 2 ] && grep -q "pattern" "$T/err" && pass "bad --ignored-licenses: exit 2" || fail "bad ignored-licenses: rc=$rc $(cat "$T/err")"
echo '{"allowed": ["MIT"]}' > "$T/bad.json"
"$D" scan --scanners license --license-config "$T/bad.json" "fs:$F" > /dev/null 2> "$T/err"
rc=$?
[ $rc = 2 ] && grep -q "allowed" "$T/err" && pass "bad --license-config: exit 2, names the key" || fail "bad license config: rc=$rc $(cat "$T/err")"
if [ -n "$DRYDOCK_ASAN" ] && [ -x "$DRYDOCK_ASAN" ]; then
  "$DRYDOCK_ASAN" scan --scanners license -f json "fs:$F" > /dev/null 2> "$T/asan"
  [ $? = 1 ] && ! grep -q "ERROR: AddressSanitizer" "$T/asan" && pass "asan: license scan clean" || fail "asan: $(head -3 "$T/asan")"
fi
