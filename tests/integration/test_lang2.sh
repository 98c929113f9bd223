#!/bin/bash
# tests/integration/test_lang2.sh - Ruby, PHP, .NET and conda packages in
# images, and the RubyGems, Packagist, NuGet and Go orders in matching:
#  - a docker-archive image from tests/tools/mklang2.py (gemspecs in the
#    forms RubyGems, Debian and authors write, Composer 1 and 2, a
#    self-contained app's deps.json, conda-meta, crafted and truncated
#    files): `drydock sbom --format json` lists exactly the expected
#    packages (type, path, name, version, purl, layer, license, dev), each
#    unreadable file is one warning line naming path and layer (exit 4);
#    CycloneDX and SPDX carry the same purls, all of purl-spec syntax
#  - Debian's real gemspecs (libruby3.1's default and bundled gems,
#    ruby-* packages' rubygems-integration specs, from the apt cache or
#    `apt-get download`): name and version as RubyGems' file naming
#    (NAME-VERSION.gemspec) and stub lines say, licenses as the
#    specifications' literal lists say
#  - a small OSV fixture (RubyGems, Packagist, NuGet, Go): `drydock scan`
#    reports exactly the applicable advisories with path, installed and
#    fixed version, purl and the dev flag; NuGet names match in any case;
#    conda (no comparator) is reported unmatched in a warning, never
#    compared; `drydock db match` in each order incl. Go pseudo-versions
#  - `drydock vercmp rubygems|composer|nuget|go`
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# ---- the fixture image
python3 "$ROOT/tests/tools/mklang2.py" "$T/img.tar" > "$T/expect.tsv"
rc=0
"$DD" sbom "$T/img.tar" --format json -q > "$T/s.json" 2> "$T/err" || rc=$?
# (the dev column is checked on the findings below)
grep -v '^WARN' "$T/expect.tsv" | cut -f1-7 | sort > "$T/want"
jq -r '.packages[] | select(.type != "dpkg") |
    [.type, .db_path, .name, .version, .purl, (.layer | tostring), (.license // "-")] |
    join("\t")' "$T/s.json" 2>/dev/null | sort > "$T/got"
if [ "$rc" = 4 ] && [ -s "$T/want" ] && cmp -s "$T/want" "$T/got"; then
  pass "lang2 fixture: $(wc -l < "$T/got") gem/composer/nuget/conda packages with path, layer, purl, license as expected"
else
  fail "lang2 fixture: rc=$rc $(diff "$T/want" "$T/got" | head -6 | tr '\n' ' ')"
fi
for t in gem composer nuget conda; do
  n=$(jq --arg t "$t" '[.packages[] | select(.type == $t and .created_by != null)] | length' "$T/s.json")
  w=$(awk -F'\t' -v t="$t" '$1 == t' "$T/want" | wc -l)
  [ "$n" = "$w" ] && [ "$n" -gt 0 ] && pass "lang2 fixture: $n $t packages carry the history step of their layer" ||
    fail "lang2 fixture: $t: $n of $w with a history step"
done
bad=0
while IFS=$'\t' read -r _ path layer; do
  c=$(grep -c "^warning: $path (layer $layer): " "$T/err")
  [ "$c" = 1 ] || { bad=1; echo "  missing/duplicate warning for $path: $c" >&2; }
done < <(grep '^WARN' "$T/expect.tsv")
nw=$(grep -c '^warning: ' "$T/err")
if [ "$bad" = 0 ] && [ "$nw" = "$(grep -c '^WARN' "$T/expect.tsv")" ]; then
  pass "lang2 fixture: each of the $nw crafted/truncated files is one warning line with path and layer"
else
  fail "lang2 fixture warnings: $(head -c 400 "$T/err")"
fi
grep -q 'srv/cut/vendor/composer/installed.json (layer 1): not JSON: line 1: invalid JSON at column 150 (byte offset 150)' "$T/err" &&
  pass "lang2: a truncated installed.json names line, column and byte offset" ||
  fail "lang2: truncated installed.json: $(grep cut "$T/err")"
jq -e '[.packages[] | select(.db_path | test("gems/rack-2.2.3/"))] | length == 0' "$T/s.json" > /dev/null &&
  pass "lang2: a gem's source-tree .gemspec is not an installed gem" || fail "lang2: source gemspec listed"

"$DD" sbom "$T/img.tar" --format cyclonedx -q > "$T/cdx.json" 2>/dev/null
"$DD" sbom "$T/img.tar" --format spdx -q > "$T/spdx.json" 2>/dev/null
jq -r '.packages[] | select(.type != "dpkg") | .purl' "$T/s.json" | sort > "$T/p.json"
jq -r '.components[] | .purl // empty | select(test("^pkg:(gem|composer|nuget|conda)/"))' "$T/cdx.json" | sort > "$T/p.cdx"
jq -r '.packages[].externalRefs[]? | select(.referenceType=="purl") | .referenceLocator |
    select(test("^pkg:(gem|composer|nuget|conda)/"))' "$T/spdx.json" | sort > "$T/p.spdx"
if [ -s "$T/p.json" ] && cmp -s "$T/p.json" "$T/p.cdx" && cmp -s "$T/p.json" "$T/p.spdx"; then
  pass "lang2: CycloneDX and SPDX list the same $(wc -l < "$T/p.json") purls"
else
  fail "lang2: purl sets differ (json $(wc -l < "$T/p.json"), cdx $(wc -l < "$T/p.cdx"), spdx $(wc -l < "$T/p.spdx"))"
fi
# purl-spec syntax: type/[namespace/]name@version, percent-encoded; the
# composer namespace and name lower case
if python3 - "$T/p.json" <<'PY'
import re, sys
ok = True
seg = r"[A-Za-z0-9.\-_~]|%[0-9A-F]{2}"
pat = re.compile(r"^pkg:(gem|composer|nuget|conda)/((?:%s)+/)?(?:%s)+@(?:%s)+$" % (seg, seg, seg))
for p in open(sys.argv[1]).read().split():
    if not pat.match(p) or (p.startswith("pkg:composer/") and p.split("@")[0] != p.split("@")[0].lower()):
        print("bad purl", p); ok = False
sys.exit(0 if ok else 1)
PY
then pass "lang2: every purl has purl-spec syntax"; else fail "lang2: purl syntax"; fi

# ---- Debian's gemspecs
DEBS="libruby3.1 ruby-net-telnet ruby-webrick ruby-xmlrpc ruby-rubygems"
D=$T/deb; mkdir -p "$D/root" "$D/dl"
got=0
for p in $DEBS; do
  f=$(ls /var/cache/apt/archives/${p}_*.deb 2>/dev/null | head -1)
  if [ -z "$f" ]; then
    (cd "$D/dl" && timeout 60 apt-get download -q "$p" > /dev/null 2>&1) || true
    f=$(ls "$D"/dl/${p}_*.deb 2>/dev/null | head -1)
  fi
  [ -n "$f" ] && dpkg-deb -x "$f" "$D/root" 2>/dev/null && got=$((got + 1))
done
n=$(find "$D/root" -name '*.gemspec' -path '*/specifications/*' 2>/dev/null | wc -l)
if [ "$got" -gt 0 ] && [ "$n" -gt 0 ]; then
  python3 "$ROOT/tests/tools/mklang2.py" "$D/img.tar" "$D/root" > /dev/null
  "$DD" sbom "$D/img.tar" --format json -q > "$D/s.json" 2>/dev/null
  # oracle: RubyGems names a spec file after the spec's full name
  # (NAME-VERSION[-PLATFORM].gemspec) and writes "# stub: NAME VERSION";
  # licenses from the literal `s.licenses = [...]`/`s.license = ".."`
  python3 - "$D/root" > "$D/want" <<'PY'
import os, re, sys
root = sys.argv[1]
for dp, _, fs in os.walk(root):
    for f in fs:
        if not f.endswith(".gemspec") or "/specifications" not in dp:
            continue
        t = open(os.path.join(dp, f), encoding="utf-8", errors="replace").read()
        m = re.search(r"^# stub: (\S+) (\S+)", t, re.M)
        base = f[:-len(".gemspec")]
        if m:
            name, ver = m.group(1), m.group(2)
            assert base.startswith(name + "-" + ver), f
        else:
            name, ver = re.match(r"(.*?)-(\d[^-]*)", base).groups()
        lm = re.search(r"\.licenses? = \[(.*?)\]", t) or re.search(r"\.license = (\"[^\"]*\")", t)
        lic = " OR ".join(re.findall(r"\"([^\"]*)\"", lm.group(1))) if lm else "-"
        print("%s\t%s\t%s\t%s" % (os.path.relpath(os.path.join(dp, f), root), name, ver, lic or "-"))
PY
  sort -o "$D/want" "$D/want"
  jq -r '.packages[] | select(.type == "gem" and (.db_path | startswith("usr/lib/ruby") or startswith("usr/share/rubygems-integration"))) |
      "\(.db_path)\t\(.name)\t\(.version)\t\(.license_declared // "-")"' "$D/s.json" |
    while IFS=$'\t' read -r path rest; do [ -f "$D/root/$path" ] && printf '%s\t%s\n' "$path" "$rest"; done |
    sort > "$D/got"
  if [ -s "$D/want" ] && cmp -s "$D/want" "$D/got"; then
    pass "lang2 Debian: $(wc -l < "$D/got") real gemspecs of $got Debian packages (default gems, bundled gems, rubygems-integration): name, version, licenses"
  else
    fail "lang2 Debian gemspecs: $(diff "$D/want" "$D/got" | head -6 | tr '\n' ' ')"
  fi
else
  skip "lang2 Debian gemspecs: no Debian ruby package in the apt cache and apt-get download failed"
fi

# ---- matching against a small OSV fixture
O=$T/osv; mkdir -p "$O"
python3 - "$O" <<'PY'
import json, os, sys
d = sys.argv[1]
def rec(i, eco, name, intro, fixed):
    json.dump({"id": i, "modified": "2026-01-01T00:00:00Z", "summary": "test " + i,
               "affected": [{"package": {"ecosystem": eco, "name": name},
                             "ranges": [{"type": "SEMVER" if eco == "Go" else "ECOSYSTEM",
                                         "events": [{"introduced": intro}, {"fixed": fixed}]}]}]},
              open(os.path.join(d, i + ".json"), "w"))
rec("TEST-RACK-1", "RubyGems", "rack", "0", "2.2.6.4")         # 2.2.3 affected
rec("TEST-RACK-2", "RubyGems", "rack", "0", "2.2.3")           # fixed in 2.2.3
rec("TEST-JSON-1", "RubyGems", "json", "2.0.0", "2.7.0")       # 2.7.0.pre.1 < 2.7.0
rec("TEST-JSON-2", "RubyGems", "json", "0", "2.7.0.pre.1")     # equal: not affected
rec("TEST-SYMFONY-1", "Packagist", "symfony/http-kernel", "5.0.0", "5.4.20")  # v5.4.0
rec("TEST-MONOLOG-1", "Packagist", "monolog/monolog", "3.0.0", "3.1.0")
rec("TEST-PHPUNIT-1", "Packagist", "phpunit/phpunit", "9.0.0", "9.5.11")      # dev
rec("TEST-DUAL-1", "Packagist", "Dual/Licensed", "0", "1.0.0")  # 1.0.0-beta2 < 1.0.0
rec("TEST-NEWTON-1", "NuGet", "NEWTONSOFT.JSON", "0", "13.0.2")
rec("TEST-ENC-1", "NuGet", "System.Text.Encodings.Web", "4.0.0", "4.5.1")
rec("TEST-GO-1", "Go", "golang.org/x/net", "0", "0.0.0-20220906165146-f3363e06e74c")
rec("TEST-GO-2", "Go", "github.com/docker/docker", "0", "20.10.24+incompatible")
PY
"$DD" db import --db "$T/db" "$O" > /dev/null 2>&1
rc=0
"$DD" scan "$T/img.tar" --db "$T/db" --scanners vuln --format json -q > "$T/v.json" 2> "$T/verr" || rc=$?
got=$(jq -r '[.findings[] | select(.kind=="vuln") | "\(.id)|\(.path)|\(.vulnerability.installed_version)|\(.vulnerability.fixed_version)|\(.vulnerability.purl)|\(.evidence // "-")"] | sort | join(" ")' "$T/v.json")
want="TEST-DUAL-1|var/www/app/vendor/composer/installed.json|1.0.0-beta2|1.0.0|pkg:composer/dual/licensed@1.0.0-beta2|- TEST-JSON-1|usr/local/lib/ruby/gems/3.2.0/specifications/default/json-2.7.0.pre.1.gemspec|2.7.0.pre.1|2.7.0|pkg:gem/json@2.7.0.pre.1|- TEST-NEWTON-1|app/WebApp.deps.json|13.0.1|13.0.2|pkg:nuget/Newtonsoft.Json@13.0.1|- TEST-PHPUNIT-1|var/www/app/vendor/composer/installed.json|9.5.10|9.5.11|pkg:composer/phpunit/phpunit@9.5.10|dev dependency TEST-RACK-1|usr/local/bundle/specifications/rack-2.2.3.gemspec|2.2.3|2.2.6.4|pkg:gem/rack@2.2.3|- TEST-SYMFONY-1|var/www/app/vendor/composer/installed.json|5.4.0|5.4.20|pkg:composer/symfony/http-kernel@5.4.0|-"
[ "$got" = "$want" ] &&
  pass "lang2 scan: the 6 applicable RubyGems/Packagist/NuGet advisories (prerelease, v prefix, NuGet name case, dev flag), nothing else" ||
  fail "lang2 scan: rc=$rc got '$got'"
n=$(jq '[.findings[] | select(.vulnerability.namespace as $n | ["rubygems","composer","nuget"] | index($n))] | length' "$T/v.json")
[ "$n" = 6 ] && pass "lang2 scan: findings carry the rubygems/composer/nuget namespaces" || fail "lang2 scan: $n with namespaces"
if jq -e '.warnings | index("conda packages are unmatched: drydock has no version comparator for conda")' "$T/v.json" > /dev/null &&
   ! jq -e '.findings[] | select(.vulnerability.package_type == "conda")' "$T/v.json" > /dev/null; then
  pass "lang2 scan: conda packages (no comparator) are one 'unmatched' warning, never compared"
else
  fail "lang2 scan: conda: $(jq -c '.warnings' "$T/v.json" | head -c 300)"
fi
m() { "$DD" db match --db "$T/db" "$@" 2>&1 | grep -o 'TEST-[A-Z0-9-]*' | sort -u | tr '\n' ' '; }
r1=$(m go golang.org/x/net v0.0.0-20220722155237-a158d28d115b)
r2=$(m go golang.org/x/net v0.0.0-20220906165146-f3363e06e74c)
r3=$(m go golang.org/x/net v0.1.0)
r4=$(m go github.com/docker/docker v20.10.23+incompatible)
r5=$(m go github.com/docker/docker v20.10.24+incompatible)
if [ "$r1" = "TEST-GO-1 " ] && [ -z "$r2" ] && [ -z "$r3" ] && [ "$r4" = "TEST-GO-2 " ] && [ -z "$r5" ]; then
  pass "lang2 db match go: pseudo-versions ordered by timestamp, above a pseudo-version base, +incompatible"
else
  fail "lang2 db match go: '$r1' '$r2' '$r3' '$r4' '$r5'"
fi
r1=$(m nuget newtonsoft.JSON 13.0.1); r2=$(m nuget Newtonsoft.Json 13.0.2); r3=$(m rubygems rack 2.2.3)
r4=$(m composer symfony/http-kernel v5.4.19); r5=$(m composer symfony/http-kernel 5.4.20)
if [ "$r1" = "TEST-NEWTON-1 " ] && [ -z "$r2" ] && [ "$r3" = "TEST-RACK-1 " ] && [ "$r4" = "TEST-SYMFONY-1 " ] && [ -z "$r5" ]; then
  pass "lang2 db match: NuGet names in any case, RubyGems and Packagist orders"
else
  fail "lang2 db match: '$r1' '$r2' '$r3' '$r4' '$r5'"
fi
out=$("$DD" db match --db "$T/db" conda openssl 3.0.8 2>&1); rc=$?
[ "$rc" != 0 ] && [ "$rc" != 1 ] && echo "$out" | grep -q 'conda openssl 3.0.8: unmatched: no version comparator' &&
  pass "lang2 db match conda: unmatched (no comparator), exit $rc" || fail "lang2 db match conda: rc=$rc '$out'"

# ---- vercmp
v=$(printf '1.0.a\t1.0\n1.0.0-beta.1\t1.0.0.beta.1\n' | "$DD" vercmp rubygems - | tr '\n' ' ')
c=$(printf 'v1.0.0\t1.0.0.0\n1.0.0-dev\t1.0.0-alpha\n1.0.0-patch1\t1.0.0\n' | "$DD" vercmp composer - | tr '\n' ' ')
n=$(printf '1.0.0-BETA\t1.0.0-beta\n1.0.0.1\t1.0\n1.0.0-beta\tjunk\n' | "$DD" vercmp nuget - | tr '\n' ' ')
g=$(printf 'v1.2.4-0.20191109021931-daa7c04131f5\tv1.2.4\nv2.0.0+incompatible\t2.0.0\n' | "$DD" vercmp go - | tr '\n' ' ')
if [ "$v" = "-1 0 " ] && [ "$c" = "0 -1 1 " ] && [ "$n" = "0 1 invalid " ] && [ "$g" = "-1 0 " ]; then
  pass "lang2 vercmp: rubygems, composer, nuget, go"
else
  fail "lang2 vercmp: rubygems '$v' composer '$c' nuget '$n' go '$g'"
fi
