#!/bin/bash
# tests/integration/test_verify_image.sh - drydock verify IMAGE on a real
# Debian docker-registry (127.0.0.1, throwaway CA, htpasswd), images built
# with ../shared/tools/registry/mkoci.sh and pushed with skopeo:
#  - cosign legacy signature made with OpenSSL (cosign_sign.sh): verifies
#    with the right key, fails with another key
#  - unsigned image -> not verified, trust.unsigned in scan
#    --require-signature
#  - a signature for another digest, a tampered payload, a tampered
#    signature -> exit 1 naming the check
#  - a Sigstore bundle referrer pushed by the test (the registry has no
#    referrers API: the sha256-<hex> referrers tag is used)
#  - an OCI layout carrying the image and its .sig manifest
# The registry listens on 127.0.0.1 only and is stopped by PID.
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
SH=$(cd "$HERE/../../.." && pwd)/shared/tools/registry
T=$(mktemp -d)
cleanup() {
  [ -f "$T/reg/registry.pid" ] && kill "$(cat "$T/reg/registry.pid")" 2> /dev/null
  [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
for tool in docker-registry skopeo htpasswd openssl curl; do
  if ! command -v $tool > /dev/null; then
    skip "verify image: $tool not installed (docker-registry, skopeo, apache2-utils)"
    exit 0
  fi
done
if [ ! -x "$SH/start-registry.sh" ]; then
  skip "verify image: ../shared/tools/registry not present"
  exit 0
fi
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if ! "$SH/start-registry.sh" "$T/reg" "$P"; then
  fail "registry did not start"
  exit 0
fi
H=127.0.0.1:$P
export CACERT=$T/reg/certs/ca.crt CREDS=testuser:testpass
RO=(--ca-file "$CACERT" --username testuser --password-stdin)
echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$T/policy.json"
mkimg() { # NAME: a one-layer image test/app:NAME
  mkdir -p "$T/root-$1/etc"
  printf 'ID=testos\nVERSION_ID=%s\n' "$1" > "$T/root-$1/etc/os-release"
  "$SH/mkoci.sh" "$T/root-$1" "$T/oci-$1" "$1" > /dev/null
  skopeo --policy "$T/policy.json" copy -q --dest-cert-dir "$T/reg/cacerts" --dest-creds "$CREDS" \
    "oci:$T/oci-$1:$1" "docker://$H/test/app:$1"
}
for i in good unsigned other tpay tsig ref keyless klset; do mkimg $i; done
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/k.pem" 2> /dev/null
openssl pkey -in "$T/k.pem" -pubout -out "$T/k.pub" 2> /dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/k2.pem" 2> /dev/null
openssl pkey -in "$T/k2.pem" -pubout -out "$T/k2.pub" 2> /dev/null
for i in good tpay tsig; do "$SH/cosign_sign.sh" "$H" test/app $i "$T/k.pem" > /dev/null; done
ST="python3 $HERE/sigtool.py $H"
$ST copy-sig test/app good other
$ST tamper-payload test/app tpay
$ST tamper-sig test/app tsig
$ST referrer test/app ref "$T/k.pem" > /dev/null
$ST keyless test/app keyless "$T/kl" signer@example.com https://issuer.example
$ST attest test/app good "$T/k.pem"
$ST keyless test/app klset "$T/kl2" signer@example.com https://issuer.example
$ST tamper-set test/app klset

check() { # NAME WANT-RC WANT-TEXT ARGS...
  local name=$1 want=$2 text=$3
  shift 3
  out=$(echo testpass | "$DD" verify "${RO[@]}" "$@" 2>&1)
  rc=$?
  if [ "$rc" = "$want" ] && printf '%s' "$out" | grep -q -- "$text"; then
    pass "verify: $name"
  else
    fail "verify: $name: rc $rc (want $want, text '$text'): $out"
  fi
}
check "cosign signature, right key" 0 "Verified OK" --key "$T/k.pub" "$H/test/app:good"
check "cosign signature, other key" 1 "message signature does not verify with the given key" \
  --key "$T/k2.pub" "$H/test/app:good"
check "by digest" 0 "Verified OK" --key "$T/k.pub" "$H/test/app@$($ST digest test/app good)"
check "unsigned image" 1 "no signature found" --key "$T/k.pub" "$H/test/app:unsigned"
check "signature for another digest" 1 "signature is for another image" --key "$T/k.pub" "$H/test/app:other"
check "tampered payload" 1 "does not match its digest\|does not verify" --key "$T/k.pub" "$H/test/app:tpay"
check "tampered signature" 1 "does not verify" --key "$T/k.pub" "$H/test/app:tsig"
check "referrers bundle (referrers tag)" 0 "referrer sha256:" --key "$T/k.pub" "$H/test/app:ref"
check "referrers bundle, other key" 1 "does not verify" --key "$T/k2.pub" "$H/test/app:ref"
check "no key given" 2 "are needed" "$H/test/app:good"
check "unknown tag" 3 "HTTP 404\|not found\|MANIFEST_UNKNOWN" --key "$T/k.pub" "$H/test/app:nope"

KL=(--trusted-root "$T/kl/trusted_root.json" --certificate-oidc-issuer https://issuer.example)
check "keyless: certificate chain, Rekor SET, identity" 0 "Verified OK.*signer@example.com" \
  "${KL[@]}" --certificate-identity signer@example.com "$H/test/app:keyless"
check "keyless: wrong identity" 1 "identity" "${KL[@]}" --certificate-identity other@example.com "$H/test/app:keyless"
check "keyless: wrong issuer" 1 "issuer" --trusted-root "$T/kl/trusted_root.json" \
  --certificate-oidc-issuer https://other.example --certificate-identity signer@example.com "$H/test/app:keyless"
check "keyless: CA not in the built-in root" 1 "chain\|log not in the trusted root" \
  --certificate-oidc-issuer https://issuer.example --certificate-identity signer@example.com "$H/test/app:keyless"
check "keyless: tampered Rekor SET" 1 "signed entry timestamp does not verify" --trusted-root "$T/kl2/trusted_root.json" \
  --certificate-oidc-issuer https://issuer.example --certificate-identity signer@example.com "$H/test/app:klset"
check "attestation (.att DSSE) listed and verified" 0 "attestation OK" --key "$T/k.pub" "$H/test/app:good"

# policy: a required attestation is matched by its in-toto predicateType
polfile() { # PREDICATE-TYPE -> $T/att-policy.yaml
  {
    printf 'version: 1\nrules:\n  - name: app\n    images: "**"\n    authorities:\n      - name: k\n        key: |\n'
    sed 's/^/          /' "$T/k.pub"
    printf '    attestations:\n      - name: scan\n        predicate-type: %s\n' "$1"
  } > "$T/att-policy.yaml"
}
polfile https://example.com/scan/v1
echo testpass | "$DD" policy check "${RO[@]}" --policy "$T/att-policy.yaml" "$H/test/app:good" > "$T/pol.out" 2>&1; rc=$?
[ $rc = 0 ] && pass "policy: the .att attestation's predicateType (https://example.com/scan/v1) satisfies a required attestation, allow" ||
  fail "policy attestation: rc=$rc $(tail -5 "$T/pol.out")"
polfile https://example.com/other/v1
echo testpass | "$DD" policy check "${RO[@]}" --policy "$T/att-policy.yaml" "$H/test/app:good" > "$T/pol.out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "attestation-missing\|no verified 'scan' attestation" "$T/pol.out" &&
  pass "policy: another predicate type is missing, deny" || fail "policy attestation other type: rc=$rc $(tail -5 "$T/pol.out")"

# json
out=$(echo testpass | "$DD" verify "${RO[@]}" --key "$T/k.pub" --format json "$H/test/app:good" 2> /dev/null)
if printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["verified"] and d["signatures"][0]["kind"]=="cosign" and d["signatures"][0]["reference"].endswith("test/app")'; then
  pass "verify: json report"
else
  fail "verify: json report: $out"
fi

# OCI layout carrying the signature manifest
$ST layout test/app good "$T/lay"
check "OCI layout with .sig" 0 "Verified OK" --key "$T/k.pub" "$T/lay"
check "OCI layout, other key" 1 "does not verify" --key "$T/k2.pub" "$T/lay"
$ST layout test/app ref "$T/lay-ref"
check "OCI layout with a bundle referrer" 0 "Verified OK.*referrer sha256:" --key "$T/k.pub" "$T/lay-ref"

# the referrers API (the Debian registry has none): mini_registry.py serves it
MP=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$HERE/mini_registry.py" "$T/lay-ref" "$MP" > /dev/null 2>&1 &
MPID=$!
for _ in $(seq 1 40); do curl -s -o /dev/null "http://127.0.0.1:$MP/v2/" && break; sleep 0.25; done
out=$("$DD" verify --insecure-registry "127.0.0.1:$MP" --key "$T/k.pub" "127.0.0.1:$MP/app:ref" 2>&1)
rc=$?
if [ $rc = 0 ] && printf '%s' "$out" | grep -q "bundle .*OK.*referrer sha256:"; then
  pass "verify: referrers API"
else
  fail "verify: referrers API: rc $rc: $out"
fi
kill "$MPID" 2> /dev/null
# scan --require-signature: trust.* findings in the scan report
scan_has() { # NAME WANT-TEXT NOT-TEXT ARGS...
  local name=$1 text=$2 not=$3
  shift 3
  out=$(echo testpass | "$DD" scan "${RO[@]}" --scanners config -f json --require-signature "$@" 2>&1)
  if printf '%s' "$out" | grep -q -- "$text" && ! printf '%s' "$out" | grep -q -- "$not"; then
    pass "scan --require-signature: $name"
  else
    fail "scan --require-signature: $name: want '$text', not '$not': $(printf '%s' "$out" | head -c 600)"
  fi
}
scan_has "unsigned image -> trust.unsigned" '"trust.unsigned"' '"trust.signature-invalid"' --key "$T/k.pub" "$H/test/app:unsigned"
scan_has "tampered signature -> trust.signature-invalid" '"trust.signature-invalid"' '"trust.unsigned"' \
  --key "$T/k.pub" "$H/test/app:tsig"
scan_has "signed image -> no trust finding" '"schema\|"findings"' '"trust\.' --key "$T/k.pub" "$H/test/app:good"
scan_has "keyless, wrong identity -> trust.signer-untrusted" '"trust.signer-untrusted"' '"trust.unsigned"' \
  "${KL[@]}" --certificate-identity other@example.com "$H/test/app:keyless"
scan_has "OCI layout, other key -> trust.signature-invalid" '"trust.signature-invalid"' '"trust.unsigned"' \
  --key "$T/k2.pub" --tag good "$T/lay"
out=$("$DD" scan --scanners config --key "$T/k.pub" "$T/lay" 2>&1)
rc=$?
if [ $rc = 2 ] && printf '%s' "$out" | grep -q "require-signature"; then
  pass "scan: --key without --require-signature is a usage error"
else
  fail "scan: --key alone: rc $rc: $out"
fi
exit 0
