#!/bin/bash
# tests/integration/test_java.sh - Java packages from JAR/WAR/EAR files:
#  - an image of Debian's /usr/share/java (lib*-java packages, installed
#    when missing), a WAR built here with two of those jars in WEB-INF/lib
#    (one stored, one deflated) and an EAR holding that WAR and a jar
#  - `drydock sbom --format json`: every pom.properties of every jar
#    (read here with `unzip -p`) is one maven package group:artifact@version
#    at the jar's path ("srv/app.war!/WEB-INF/lib/x.jar" for nested ones),
#    nothing else from jars that have one; purls pkg:maven/g/a@v; the
#    archive's SHA-1 (sha1sum) as checksum
#  - `--format cyclonedx`: the same purls, SHA-1 hashes
#  - a Maven OSV record: findings at each path of the affected package
#  - a broken jar and a zip bomb: one warning line each, exit 4
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

PKGS="libcommons-lang3-java libguava-java liblog4j2-java libcommons-io-java"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && apt-get install -y -qq --no-install-recommends $missing > "$T/apt.log" 2>&1; then
    :
  else
    skip "java: cannot install$missing (apt-get failed or not root)"
    exit 0
  fi
fi
for t in unzip sha1sum jq python3; do
  command -v $t > /dev/null || { skip "java: $t missing"; exit 0; }
done
J=/usr/share/java
CL=$(readlink -f $J/commons-lang3.jar); GU=$(readlink -f $J/guava.jar)
CI=$(readlink -f $J/commons-io.jar)
if [ ! -f "$CL" ] || [ ! -f "$GU" ] || [ ! -f "$CI" ]; then
  skip "java: commons-lang3, guava or commons-io jar missing from $J"; exit 0
fi

# ---- the image
R=$T/root; mkdir -p "$R/etc" "$R/usr/share" "$R/srv"
printf 'ID=debian\nVERSION_ID="12"\n' > "$R/etc/os-release"
cp -a "$J" "$R/usr/share/java"
python3 - "$R/srv" "$CL" "$GU" "$CI" <<'P'
import os, sys, zipfile
out, cl, gu, ci = sys.argv[1:]
war = os.path.join(out, "app.war")
with zipfile.ZipFile(war, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("WEB-INF/web.xml", "<web-app/>")
    z.write(cl, "WEB-INF/lib/" + os.path.basename(cl), zipfile.ZIP_STORED)
    z.write(gu, "WEB-INF/lib/" + os.path.basename(gu), zipfile.ZIP_DEFLATED)
with zipfile.ZipFile(os.path.join(out, "app.ear"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("META-INF/application.xml", "<application/>")
    z.write(war, "app.war")
    z.write(ci, "lib/" + os.path.basename(ci))
# hostile: not a zip, and a member that inflates 1000:1
with open(os.path.join(out, "broken.jar"), "wb") as f:
    f.write(b"PK\3\4 this is not a zip")
with zipfile.ZipFile(os.path.join(out, "bomb.jar"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("META-INF/maven/x/bomb/pom.properties", b"version=1\n" + b"\0" * (64 << 20))
P
tar --sort=name --owner=0 --group=0 --mtime=@0 -C "$R" -cf "$T/l.tar" .
cat > "$T/spec.json" <<J
{"out": "$T/img", "name": "java", "tag": "1", "layers": [{"tar": "$T/l.tar", "created_by": "COPY jars"}]}
J
python3 "$ROOT/demo/mkimage.py" "$T/spec.json" > /dev/null

# ---- the oracle: pom.properties of each archive, by its image path
poms() { # ARCHIVE IMAGE_PATH
  local m g a v
  for m in $(unzip -Z1 "$1" 2>/dev/null | grep '^META-INF/maven/[^/]*/[^/]*/pom.properties$'); do
    unzip -p "$1" "$m" | tr -d '\r' > "$T/p"
    g=$(sed -n 's/^groupId=//p' "$T/p" | tail -1); a=$(sed -n 's/^artifactId=//p' "$T/p" | tail -1)
    v=$(sed -n 's/^version=//p' "$T/p" | tail -1)
    [ -n "$v" ] && printf '%s\t%s:%s\t%s\n' "$2" "$g" "$a" "$v"
  done
}
: > "$T/want"; : > "$T/nopom"; : > "$T/sums"
for f in $(find "$R/usr/share/java" -maxdepth 1 -type f -name '*.jar' | sort); do
  p=${f#$R/}
  poms "$f" "$p" > "$T/one"
  if [ -s "$T/one" ]; then cat "$T/one" >> "$T/want"; else echo "$p" >> "$T/nopom"; fi
  printf '%s\tsha1:%s\n' "$p" "$(sha1sum < "$f" | cut -d' ' -f1)" >> "$T/sums"
done
for n in "srv/app.war!/WEB-INF/lib/$(basename "$CL"):$CL" "srv/app.war!/WEB-INF/lib/$(basename "$GU"):$GU" \
         "srv/app.ear!/app.war!/WEB-INF/lib/$(basename "$CL"):$CL" \
         "srv/app.ear!/app.war!/WEB-INF/lib/$(basename "$GU"):$GU" "srv/app.ear!/lib/$(basename "$CI"):$CI"; do
  poms "${n#*:}" "${n%%:*}" >> "$T/want"
  printf '%s\tsha1:%s\n' "${n%%:*}" "$(sha1sum < "${n#*:}" | cut -d' ' -f1)" >> "$T/sums"
done
sort -o "$T/want" "$T/want"

rc=0
"$DD" sbom "$T/img/oci" --format json -q > "$T/s.json" 2> "$T/err" || rc=$?
jq -r '.packages[] | select(.type=="maven") | "\(.db_path)\t\(.name)\t\(.version)"' "$T/s.json" | sort > "$T/got"
# jars without pom.properties may add a manifest / file-name package
grep -v -F -f <(sed 's/$/\t/' "$T/nopom") "$T/got" > "$T/got_pom"
if [ -s "$T/want" ] && cmp -s "$T/want" "$T/got_pom"; then
  pass "java: $(wc -l < "$T/want") maven packages equal the pom.properties of $(cut -f1 "$T/want" | sort -u | wc -l) archives (unzip -p), nested WAR/EAR paths included"
else
  fail "java: rc=$rc $(diff "$T/want" "$T/got_pom" | head -6 | tr '\n' ' ')"
fi
for p in "srv/app.war!/WEB-INF/lib/$(basename "$CL")" "srv/app.ear!/app.war!/WEB-INF/lib/$(basename "$GU")"; do
  grep -q "^$p	" "$T/got" && pass "java: nested $p" || fail "java: no package at $p"
done
# no-pom jars: at most one package each, named from the manifest or file
bad=0; np=0
while read -r p; do
  n=$(awk -F'\t' -v p="$p" '$1==p' "$T/got" | wc -l)
  np=$((np + n)); [ "$n" -le 1 ] || bad=1
done < "$T/nopom"
[ "$bad" = 0 ] && pass "java: $(wc -l < "$T/nopom") jars without pom.properties give $np manifest/file-name packages, at most one each" ||
  fail "java: a jar without pom.properties gave several packages"
bad=$(jq -r '.packages[] | select(.type=="maven") |
    select(.purl != ("pkg:maven/" + (.name | split(":")[0] | @uri) + "/" +
                     (.name | split(":")[1] | @uri) + "@" + (.version | @uri))) | .db_path' "$T/s.json")
[ -z "$bad" ] && pass "java: purls pkg:maven/GROUP/ARTIFACT@VERSION" || fail "java: purls of $(echo $bad | head -c 300)"
# SHA-1: every checksum is its archive's; every archive with packages has one
jq -r '.packages[] | select(.type=="maven" and .checksum != null) | "\(.db_path)\t\(.checksum)"' "$T/s.json" |
  sort -u > "$T/gsum"
wrong=$(join -t '	' "$T/gsum" <(sort "$T/sums") | awk -F'\t' '$2 != $3' | wc -l)
unk=$(cut -f1 "$T/gsum" | grep -v -x -F -f <(cut -f1 "$T/sums") | wc -l)
nosum=$(cut -f1 "$T/got" | sort -u | grep -v -x -F -f <(cut -f1 "$T/gsum") | wc -l)
if [ -s "$T/gsum" ] && [ "$wrong" = 0 ] && [ "$unk" = 0 ] && [ "$nosum" = 0 ]; then
  pass "java: $(wc -l < "$T/gsum") archives carry their sha1sum (nested ones too)"
else
  fail "java: SHA-1 wrong $wrong, unknown path $unk, archives without one $nosum"
fi
if [ "$rc" = 4 ] && grep -q 'srv/broken.jar (layer 0): zip: no end of central directory' "$T/err" &&
   grep -q 'srv/bomb.jar (layer 0): .*decompression bomb' "$T/err"; then
  pass "java: a broken jar and a zip bomb are one warning line each (path, offset), exit 4"
else
  fail "java: rc=$rc warnings: $(grep -i 'jar' "$T/err" | head -3 | tr '\n' ' ')"
fi

# ---- CycloneDX: same purls, SHA-1 hashes
"$DD" sbom "$T/img/oci" --format cyclonedx -q > "$T/c.json" 2>/dev/null
jq -r '.packages[] | select(.type=="maven") | .purl' "$T/s.json" | sort > "$T/pj"
jq -r '.components[] | select((.purl // "") | startswith("pkg:maven/")) | .purl' "$T/c.json" | sort > "$T/pc"
[ -s "$T/pj" ] && cmp -s "$T/pj" "$T/pc" && pass "java: CycloneDX lists the same $(wc -l < "$T/pc") maven purls" ||
  fail "java: CycloneDX purls differ ($(wc -l < "$T/pj") vs $(wc -l < "$T/pc"))"
jq -r '.components[] | select((.purl // "") | startswith("pkg:maven/")) |
    (.properties[] | select(.name=="drydock:package:db_path") | .value) as $p |
    .hashes[]? | select(.alg=="SHA-1") | "\($p)\tsha1:\(.content)"' "$T/c.json" | sort -u > "$T/csum"
cmp -s "$T/csum" "$T/gsum" && pass "java: CycloneDX SHA-1 hashes equal sha1sum of each archive" ||
  fail "java: CycloneDX hashes differ: $(diff "$T/gsum" "$T/csum" | head -4 | tr '\n' ' ')"

# ---- vulnerabilities from a Maven OSV record
mkdir -p "$T/osv"
cat > "$T/osv/TEST-MVN-1.json" <<'J'
{"id": "TEST-MVN-1", "modified": "2026-01-01T00:00:00Z", "summary": "test",
 "affected": [{"package": {"ecosystem": "Maven", "name": "org.apache.commons:commons-lang3"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.18.0"}]}]},
  {"package": {"ecosystem": "Maven", "name": "com.google.guava:guava"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]}
J
"$DD" db import --db "$T/db" "$T/osv" > /dev/null 2>&1
rc=0
"$DD" scan "$T/img/oci" --db "$T/db" --scanners vuln --format json -q > "$T/v.json" 2>/dev/null || rc=$?
got=$(jq -r '[.findings[] | select(.kind=="vuln") | "\(.path)|\(.vulnerability.purl)|\(.vulnerability.fixed_version)"] | sort | join(" ")' "$T/v.json")
v=$(unzip -p "$CL" META-INF/maven/org.apache.commons/commons-lang3/pom.properties | tr -d '\r' | sed -n 's/^version=//p')
b=$(basename "$CL"); pu="pkg:maven/org.apache.commons/commons-lang3@$v"
want=$(printf '%s\n' "srv/app.ear!/app.war!/WEB-INF/lib/$b|$pu|3.18.0" "srv/app.war!/WEB-INF/lib/$b|$pu|3.18.0" \
  "usr/share/java/$b|$pu|3.18.0" | sort | tr '\n' ' ' | sed 's/ $//')
[ -n "$got" ] && [ "$got" = "$want" ] && pass "java: the Maven advisory is found at the 3 paths of commons-lang3 $v (nested ones too), guava (fixed 2.0) is not" ||
  fail "java scan: rc=$rc got '$got' want '$want'"
