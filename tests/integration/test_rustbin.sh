#!/bin/bash
# tests/integration/test_rustbin.sh - Rust executables built with
# cargo-auditable: tests/tools/mkauditable.py adds a ".dep-v0" section to
# a copy of this machine's /bin/true (binutils objcopy), good and broken;
# `drydock sbom rootfs:DIR` lists the crates of the good one (pkg:cargo
# purls, the binary as path), names each broken one in one warning, and
# `drydock scan` matches the crates against a crafted crates.io advisory.
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! command -v objcopy > /dev/null || [ ! -x /bin/true ]; then
  skip "rustbin: no objcopy (binutils) or /bin/true"
  exit 0
fi
B=$T/root/usr/local/bin
mkdir -p "$B" "$T/root/etc"
for k in good badzlib truncated bomb badjson noversion empty; do
  python3 "$ROOT/tests/tools/mkauditable.py" "$B/$k" "$k" || fail "rustbin: mkauditable $k"
done
cp /bin/true "$B/plain"
"$DD" sbom -q -f json "rootfs:$T/root" > "$T/s.json" 2> "$T/s.err"; rc=$?
got=$(jq -r '[.packages[] | select(.type=="cargo") | "\(.name)@\(.version) \(.purl) \(.db_path)"] | sort | join(",")' "$T/s.json")
want="cc@1.0.83 pkg:cargo/cc@1.0.83 usr/local/bin/good,demo-app@0.1.0 pkg:cargo/demo-app@0.1.0 usr/local/bin/good,serde@1.0.188 pkg:cargo/serde@1.0.188 usr/local/bin/good,smallvec@1.6.0 pkg:cargo/smallvec@1.6.0 usr/local/bin/good"
[ "$got" = "$want" ] && pass "rustbin: the four crates of a cargo-auditable binary listed (pkg:cargo purls, the binary as path; root and build dependencies included)" ||
  fail "rustbin: crates rc=$rc got [$got]"
n=$(jq '[.packages[] | select(.db_path=="usr/local/bin/plain")] | length' "$T/s.json")
[ "$n" = 0 ] && ! grep -q "bin/plain" "$T/s.json" && pass "rustbin: an executable without .dep-v0 gives no package and no warning" ||
  fail "rustbin: plain binary: $n"
w() { jq -r '.warnings[]' "$T/s.json" | grep -F "usr/local/bin/$1 (layer 0): " | grep -qF "$2"; }
for c in "badzlib|bad zlib data at byte" "truncated|zlib stream truncated" "bomb|inflates past 8388608 bytes" \
         "badjson|invalid JSON at column" "noversion|packages[0]: no usable version" "empty|is empty" \
         "good|1 crate from a path or git source, not a registry"; do
  f=${c%%|*} m=${c#*|}
  w "$f" "$m" && pass "rustbin: $f: one warning naming the binary: '$m'" ||
    fail "rustbin: $f: no warning '$m': $(jq -c .warnings "$T/s.json" | head -c 400)"
done
# matching: a crafted advisory for smallvec < 1.6.1
mkdir -p "$T/osv"
cat > "$T/osv/TEST-RUST-1.json" <<'J'
{"id": "TEST-RUST-1", "modified": "2026-01-01T00:00:00Z", "summary": "smallvec test advisory",
 "affected": [{"package": {"ecosystem": "crates.io", "name": "smallvec"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.6.1"}]}]}]}
J
"$DD" db import --db "$T/db" "$T/osv" > /dev/null 2>&1
"$DD" scan -q --db "$T/db" --db-max-age 36500 --skip-db-update --scanners vuln -f json "rootfs:$T/root" > "$T/v.json" 2>/dev/null
got=$(jq -r '[.findings[] | select(.vulnerability) | "\(.id) \(.vulnerability.package) \(.vulnerability.installed_version) \(.vulnerability.fixed_version) \(.path)"] | join(",")' "$T/v.json")
[ "$got" = "TEST-RUST-1 smallvec 1.6.0 1.6.1 usr/local/bin/good" ] &&
  pass "rustbin: a crate of the binary matched against a crates.io advisory ($got)" ||
  fail "rustbin: match got [$got]"
