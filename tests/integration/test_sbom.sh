#!/bin/bash
# tests/integration/test_sbom.sh - package inventory and SBOM output:
#  - our parsers against the expected lists of ../shared/data/pkgdb
#  - on the real images, the package set equals what dpkg-query
#    --admindir / the apk installed DB say, with layer attribution
#  - CycloneDX 1.6 output validated against the official JSON schema
#    (npm @cyclonedx/cyclonedx-library), SPDX 2.3 checked field by field
#  - rpmdbs built here with Debian's rpmbuild/rpm (SQLite) and converted
#    to Berkeley DB with db5.3_load, read back with rpm's bdb_ro backend
#  - damaged databases: warning, exit code 4, no crash
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
BDIR=$(dirname "$DD")
DUMP=$BDIR/tests/pkgdb_dump
DATA=$ROOT/../shared/data/pkgdb
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# ---- fixtures with expected lists
if [ -d "$DATA" ]; then
  python3 "$HERE/pkgdb_fixtures.py" "$DUMP" "$DATA" || true
else
  skip "pkgdb fixtures: $DATA is absent"
fi

# ---- real images: our set == dpkg-query / apk DB
check_image() { # name
  local name=$1 oci=$IMAGES/$1/oci
  [ -d "$oci" ] || { skip "sbom $name: image not built"; return; }
  local o=$TMP/$name; mkdir -p "$o"
  python3 "$HERE/pkg_oracle.py" "$oci" "$o/oracle" >/dev/null
  : > "$o/want"
  if [ -f "$o/oracle/dpkg/status" ]; then
    dpkg-query --admindir="$o/oracle/dpkg" -W \
      -f '${db:Status-Abbrev}|${Package}|${Version}|${Architecture}\n' |
      awk -F'|' 'substr($1,2,1) ~ /[iUFHWT]/ {print "dpkg|" $2 "|" $3 "|" $4}' >> "$o/want"
  fi
  if [ -f "$o/oracle/apk/installed" ]; then
    awk -F: '/^P:/{p=substr($0,3)} /^V:/{v=substr($0,3)} /^A:/{a=substr($0,3)}
             /^$/{if(p!=""&&v!="")print "apk|" p "|" v "|" a; p=v=a=""}
             END{if(p!=""&&v!="")print "apk|" p "|" v "|" a}' \
      "$o/oracle/apk/installed" >> "$o/want"
  fi
  sort -o "$o/want" "$o/want"
  local rc=0
  for form in $(image_forms "$name" | cut -d' ' -f2); do
    "$DD" sbom "$form" --format json -q > "$o/got.json" 2> "$o/err" || rc=$?
    jq -r '.packages[] | select(.type=="dpkg" or .type=="apk" or .type=="rpm") | "\(.type)|\(.name)|\(.version)|\(.arch)"' "$o/got.json" |
      sort > "$o/got"
    if [ "$rc" = 0 ] && [ -s "$o/want" ] && cmp -s "$o/want" "$o/got"; then
      pass "sbom $name ($(basename "$form")): $(wc -l < "$o/got") packages equal dpkg-query/apk DB"
    else
      fail "sbom $name ($(basename "$form")): rc=$rc, $(diff "$o/want" "$o/got" | head -5 | tr '\n' ' ')"
    fi
  done
}
for img in alpine-3.20 alpine-3.9 bookworm-minbase bookworm-stale-dpkg node-app risky bookworm-big; do
  check_image "$img"
done

# ---- attribution: the stale image's layer 1 rewrote glibc & co.
st=$IMAGES/bookworm-stale-dpkg/oci
if [ -d "$st" ]; then
  "$DD" sbom "$st" --format json -q > "$TMP/st.json"
  l_libc=$(jq -r '.packages[] | select(.name=="libc6") | .layer' "$TMP/st.json")
  l_bash=$(jq -r '.packages[] | select(.name=="bash") | .layer' "$TMP/st.json")
  hist=$(jq -r '.packages[] | select(.name=="libc6") | .created_by' "$TMP/st.json")
  if [ "$l_libc" = 1 ] && [ "$l_bash" = 0 ] && [[ "$hist" == COPY* ]]; then
    pass "attribution: libc6 changed by layer 1 ($hist), bash from layer 0"
  else
    fail "attribution: libc6 layer '$l_libc', bash '$l_bash', step '$hist'"
  fi
fi

# ---- SBOM documents (Debian's python3-jsonschema when installed)
PY=python3
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null && PY=/usr/bin/python3
SCHEMA_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/drydock-schemas/cyclonedx-library-10.3.0
if [ ! -f "$SCHEMA_DIR/package/res/schema/bom-1.6.SNAPSHOT.schema.json" ]; then
  mkdir -p "$SCHEMA_DIR"
  (cd "$SCHEMA_DIR" && timeout 120 npm pack --silent @cyclonedx/cyclonedx-library@10.3.0 \
     >/dev/null 2>&1 && tar xzf cyclonedx-cyclonedx-library-10.3.0.tgz) || true
fi
for img in alpine-3.20 bookworm-stale-dpkg; do
  oci=$IMAGES/$img/oci
  [ -d "$oci" ] || continue
  "$DD" sbom "$oci" --format cyclonedx -q -o "$TMP/$img.cdx.json"
  "$DD" sbom "$oci" --format spdx -q > "$TMP/$img.spdx.json"
  if [ -f "$SCHEMA_DIR/package/res/schema/bom-1.6.SNAPSHOT.schema.json" ]; then
    if out=$($PY "$HERE/sbom_check.py" cyclonedx "$TMP/$img.cdx.json" \
               "$SCHEMA_DIR/package/res/schema" 2>&1); then
      pass "CycloneDX $img: valid against the official bom-1.6 schema ($out)"
    else
      fail "CycloneDX $img: $out"
    fi
    # the validator is live: a broken copy must be rejected
    jq '.components[0].type = "bogus" | .serialNumber = "nope"' "$TMP/$img.cdx.json" > "$TMP/bad.json"
    if $PY "$HERE/sbom_check.py" cyclonedx "$TMP/bad.json" "$SCHEMA_DIR/package/res/schema" >/dev/null 2>&1; then
      fail "CycloneDX $img: the schema check accepted a broken document"
    else
      pass "CycloneDX $img: the schema check rejects a broken copy"
    fi
  else
    skip "CycloneDX $img: schema package @cyclonedx/cyclonedx-library unavailable (npm unreachable)"
  fi
  if out=$($PY "$HERE/sbom_check.py" spdx "$TMP/$img.spdx.json" 2>&1); then
    pass "SPDX $img: SPDX 2.3 required fields, ids, relationships, purls ($out)"
  else
    fail "SPDX $img: $out"
  fi
done

# ---- rpm databases built here
if command -v rpmbuild >/dev/null && command -v rpm >/dev/null; then
  bash "$HERE/rpm_images.sh" "$DD" "$TMP/rpm" "$DUMP"
else
  skip "rpm images: rpmbuild/rpm not installed (Debian package rpm)"
fi

# ---- damaged databases inside an image
mk_layer() { # dir tar
  tar --sort=name --owner=0 --group=0 --mtime=@0 -C "$1" -cf "$2" .
}
D=$TMP/damaged; mkdir -p "$D/root/var/lib/dpkg" "$D/root/etc"
printf 'ID=debian\nVERSION_ID="12"\n' > "$D/root/etc/os-release"
printf 'Package: ok\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\nPackage: broken\nStatus: install ok installed\nVersion: 1:\n\nnot a field line\n' \
  > "$D/root/var/lib/dpkg/status"
mkdir -p "$D/root/var/lib/rpm"
head -c 70000 /dev/urandom > "$D/root/var/lib/rpm/Packages"
mk_layer "$D/root" "$D/l.tar"
cat > "$D/spec.json" <<J
{"out": "$D/img", "name": "damaged", "tag": "1", "layers": [{"tar": "$D/l.tar", "created_by": "damaged dbs"}]}
J
python3 "$ROOT/demo/mkimage.py" "$D/spec.json" >/dev/null
rc=0
"$DD" sbom "$D/img/oci" -q > "$D/out" 2> "$D/err" || rc=$?
if [ "$rc" = 4 ] && grep -q 'var/lib/dpkg/status: line 6: .*invalid version' "$D/err" &&
   grep -q 'var/lib/rpm/Packages: not a Berkeley DB' "$D/err" && grep -q '^dpkg  ok ' "$D/out"; then
  pass "damaged databases: one-line warnings naming file and line, good package kept, exit 4"
else
  fail "damaged databases: rc=$rc $(head -c 600 "$D/err")"
fi
