#!/usr/bin/env bash
# tests/integration/test_sign_layout.sh - an OCI layout signed as `cosign
# sign --key` does (demo/sign.py: sha256-<hex>.sig beside the image):
# still one image to scan (the signature entry is not an image), `verify`
# accepts it, `scan --require-signature` records the verdict in the
# report's trust line and JSON "signatures", and a tampered signature is a
# CRITICAL trust.signature-invalid with exit 1.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
DD=${DRYDOCK_ASAN:-${DRYDOCK:-build/drydock}}
SRC=$IMAGES/alpine-3.20/oci
[ -d "$SRC" ] || { skip "signed layout: alpine-3.20 test image absent"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cp -r "$SRC" "$T/oci"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/k.pem" 2> /dev/null
openssl pkey -in "$T/k.pem" -pubout -out "$T/k.pub"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/k2.pem" 2> /dev/null
openssl pkey -in "$T/k2.pem" -pubout -out "$T/k2.pub"
dg=$(python3 demo/sign.py "$T/oci" "$T/k.pem" localhost/alpine-3.20:3.20.3)
"$DD" scan -q --scanners config "$T/oci" > /dev/null 2> "$T/err"; rc=$?
[ $rc = 0 ] && pass "signed layout: the .sig entry is not taken for a second image (scan without --tag)" ||
  fail "signed layout scan: rc=$rc $(head -2 "$T/err")"
out=$("$DD" verify --key "$T/k.pub" "$T/oci" 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q "Verified OK: verified $dg" && pass "signed layout: verify --key: Verified OK" ||
  fail "signed layout verify: rc=$rc $out"
"$DD" scan -q --scanners config --require-signature --key "$T/k.pub" "$T/oci" > "$T/t.txt"; rc=$?
"$DD" scan -q --format json --scanners config --require-signature --key "$T/k.pub" "$T/oci" > "$T/t.json"
[ $rc = 0 ] && grep -q "trust/other .*signatures verified $dg" "$T/t.txt" &&
  [ "$(jq -r '.signatures | startswith("verified ")' "$T/t.json")" = true ] &&
  [ "$(jq '[.findings[] | select(.kind == "trust")] | length' "$T/t.json")" = 0 ] &&
  pass "scan --require-signature: the trust line and JSON say verified, no trust finding, exit 0" ||
  fail "scan --require-signature: rc=$rc $(grep trust "$T/t.txt") $(jq -c .signatures "$T/t.json")"
"$DD" scan -q --format json --scanners config --require-signature --key "$T/k2.pub" "$T/oci" > "$T/o.json"; rc=$?
[ $rc = 1 ] && [ "$(jq -r '.signatures | startswith("NOT verified: ")' "$T/o.json")" = true ] &&
  jq -e '.findings[] | select(.id == "trust.signature-invalid" and .severity == "CRITICAL")' "$T/o.json" > /dev/null &&
  pass "scan --require-signature with another key: CRITICAL trust.signature-invalid, NOT verified, exit 1" ||
  fail "scan other key: rc=$rc $(jq -c '[.signatures, [.findings[] | select(.kind=="trust") | .id]]' "$T/o.json")"
rm -rf "$T/u" && cp -r "$SRC" "$T/u"
"$DD" scan -q --format json --scanners config --require-signature --key "$T/k.pub" "$T/u" > "$T/u.json"; rc=$?
[ $rc = 1 ] && jq -e '.findings[] | select(.id == "trust.unsigned" and .severity == "HIGH")' "$T/u.json" > /dev/null &&
  pass "scan --require-signature on an unsigned layout: HIGH trust.unsigned, exit 1" ||
  fail "scan unsigned: rc=$rc $(jq -c .signatures "$T/u.json")"
"$DD" scan -q --scanners config "$T/oci:$(echo "$dg" | tr : -).sig" > /dev/null 2>&1; rc=$?
[ $rc != 0 ] && pass "signed layout: the signature entry asked for by name is read as what it is (not an image: exit $rc)" ||
  fail "scan of the .sig entry by name: exit 0"
