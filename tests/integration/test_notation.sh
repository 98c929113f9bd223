#!/bin/bash
# tests/integration/test_notation.sh - Notation (Notary Project)
# signatures: real JWS (PS256, ES256) and COSE_Sign1 (ES256) envelopes made
# by notation_sign.py (python3-cryptography; the notation CLI is not in
# Debian), pushed as OCI 1.1 referrers to a Debian docker-registry on
# 127.0.0.1 (no referrers API: the sha256-<hex> referrers tag), copied into
# OCI layouts, and served by mini_registry.py's referrers API.
# Cases: valid JWS/COSE, the trust store as a directory or one PEM file,
# another CA (signer-untrusted), a flipped payload byte, a payload naming
# another digest, a leaf expired at signing time, a leaf without code
# signing EKU, an unknown critical header, a passed expiry, a trusted
# identity that matches / does not, an unsigned image, --dct and
# DOCKER_CONTENT_TRUST=1, and the trust.* findings of scan
# --require-signature. The registry is stopped by PID.
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
SH=$(cd "$HERE/../../.." && pwd)/shared/tools/registry
T=$(mktemp -d)
cleanup() {
  [ -f "$T/reg/registry.pid" ] && kill "$(cat "$T/reg/registry.pid")" 2> /dev/null
  [ -n "${MPID:-}" ] && kill "$MPID" 2> /dev/null
  [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
if ! python3 -c 'import cryptography' 2> /dev/null; then
  skip "notation: python3-cryptography not installed"
  exit 0
fi
if command -v notation > /dev/null; then
  echo "# the notation CLI is installed; this test still signs with notation_sign.py"
fi
NS="python3 $HERE/notation_sign.py"
$NS ca "$T/pki" test
$NS ca "$T/other" other
$NS leaf "$T/pki" rsa rsa
$NS leaf "$T/pki" ec ec
$NS leaf "$T/pki" old ec expired
$NS leaf "$T/pki" noeku ec noeku
HAVE_TSA=
command -v openssl > /dev/null && $NS tsa "$T/pki" && HAVE_TSA=1

check() { # NAME WANT-RC WANT-TEXT ARGS...
  local name=$1 want=$2 text=$3
  shift 3
  out=$(echo testpass | "$DD" verify "$@" 2>&1)
  rc=$?
  if [ "$rc" = "$want" ] && printf '%s' "$out" | tr '\n' ' ' | grep -q -- "$text"; then
    pass "notation: $name"
  else
    fail "notation: $name: rc $rc (want $want, text '$text'): $out"
  fi
}
TS=(--trust-store "$T/pki/store")

# ---- OCI layouts (no registry needed) ---------------------------------
mkdir -p "$T/root/etc"
printf 'ID=testos\nVERSION_ID=1\n' > "$T/root/etc/os-release"
HAVE_LAYOUT=1
if [ -x "$SH/mkoci.sh" ]; then
  "$SH/mkoci.sh" "$T/root" "$T/oci" 1 > /dev/null || HAVE_LAYOUT=
else
  HAVE_LAYOUT=
fi
if [ -n "$HAVE_LAYOUT" ]; then
  lay() { # NAME LEAF FMT MODS...: a copy of the layout with one signature
    local n=$1
    shift
    rm -rf "$T/l-$n"
    cp -r "$T/oci" "$T/l-$n"
    $NS layout "$T/l-$n" "$T/pki" "$@" > /dev/null
  }
  lay jws rsa jws
  lay es ec jws
  lay cose ec cose
  lay flip rsa jws flip-payload
  lay cflip ec cose flip-payload
  lay other rsa jws digest=sha256:0000000000000000000000000000000000000000000000000000000000000000
  lay old old jws
  lay noeku noeku jws
  lay crit ec jws crit=io.example.unknown
  lay ccrit ec cose crit=io.example.unknown
  lay exp ec cose expiry-past
  lay fut ec jws expiry-future
  BACK=$(($(date +%s) - 100 * 86400)) # inside the validity of the leaf "old"
  lay back old jws time=$BACK
  lay sa old cose sa time=$BACK
  lay alg ec jws alg=ES384
  if [ -n "$HAVE_TSA" ]; then
    lay ts ec jws timestamp
    lay cts ec cose timestamp
    lay tsbad ec jws timestamp-other
    lay tsold old jws timestamp time=$BACK
  fi
  mkdir -p "$T/pki/store-sa/x509/signingAuthority/test"
  cp "$T/pki/ca.pem" "$T/pki/store-sa/x509/signingAuthority/test/"
  check "layout: JWS PS256 verifies" 0 "notation-jws OK" "${TS[@]}" "$T/l-jws"
  check "layout: JWS ES256 verifies" 0 "notation-jws OK" "${TS[@]}" "$T/l-es"
  check "layout: COSE ES256 verifies" 0 "notation-cose OK" "${TS[@]}" "$T/l-cose"
  check "layout: the trust store as one PEM file" 0 "Verified OK" --trust-store "$T/pki/ca.pem" "$T/l-cose"
  check "layout: the verdict names the signer's subject" 0 "Verified OK.*CN=drydock signer" "${TS[@]}" "$T/l-jws"
  check "layout: another CA's trust store -> chain" 1 "does not lead to a certificate in the trust store" \
    --trust-store "$T/other/store" "$T/l-jws"
  check "layout: flipped payload byte (JWS) -> signature" 1 "PS256 signature does not verify" "${TS[@]}" "$T/l-flip"
  check "layout: flipped payload byte (COSE) -> signature" 1 "ES256 signature does not verify" "${TS[@]}" "$T/l-cflip"
  check "layout: payload naming another digest" 1 "signature is for another artifact" "${TS[@]}" "$T/l-other"
  check "layout: leaf expired at signing time" 1 "outside the validity of certificate 0" "${TS[@]}" "$T/l-old"
  check "layout: leaf without code signing EKU" 1 "no code signing" "${TS[@]}" "$T/l-noeku"
  check "layout: unknown critical header (JWS)" 1 'critical header "io.example.unknown" is not understood' \
    "${TS[@]}" "$T/l-crit"
  check "layout: unknown critical header (COSE)" 1 'critical header "io.example.unknown" is not understood' \
    "${TS[@]}" "$T/l-ccrit"
  check "layout: notary.x509 back-dated into an expired leaf's validity -> not valid now" 1 \
    "is not valid now; a notary.x509 signing time is not authenticated" "${TS[@]}" "$T/l-back"
  check "layout: notary.x509.signingAuthority: authentic signing time, x509/signingAuthority store" 0 \
    "notation-cose OK" --trust-store "$T/pki/store-sa" "$T/l-sa"
  check "layout: signingAuthority signature, only an x509/ca store" 1 "has no x509/signingAuthority certificates" \
    "${TS[@]}" "$T/l-sa"
  check "layout: alg not the key's" 1 "alg ES384 does not match the signing key (EC P-256: ES256)" "${TS[@]}" "$T/l-alg"
  if [ -n "$HAVE_TSA" ]; then
    check "layout: JWS with an RFC 3161 countersignature (x509/tsa) verifies" 0 "notation-jws OK" "${TS[@]}" "$T/l-ts"
    check "layout: COSE with an RFC 3161 countersignature verifies" 0 "notation-cose OK" "${TS[@]}" "$T/l-cts"
    check "layout: countersignature over other bytes -> timestamp" 1 "timestamp countersignature does not verify" \
      "${TS[@]}" "$T/l-tsbad"
    check "layout: the same without x509/tsa in the store: countersignature not used" 0 "Verified OK" \
      --trust-store "$T/pki/ca.pem" "$T/l-tsbad"
    check "layout: back-dated, the verified timestamp's time is used" 1 "was not valid at the timestamp's time" \
      "${TS[@]}" "$T/l-tsold"
  else
    skip "notation: timestamps: openssl not installed"
  fi
  check "layout: expiry passed" 1 "the signature expired at" "${TS[@]}" "$T/l-exp"
  check "layout: expiry in the future verifies" 0 "Verified OK" "${TS[@]}" "$T/l-fut"
  check "layout: trusted identity matches" 0 "Verified OK" "${TS[@]}" \
    --notation-identity "x509.subject: C=US, ST=WA, O=drydock tests, CN=drydock signer" "$T/l-jws"
  check "layout: trusted identity does not match" 1 "is not the trusted identity" "${TS[@]}" \
    --notation-identity "x509.subject: CN=someone else, O=drydock tests" "$T/l-jws"
  check "layout: --notation-identity without x509.subject: is a usage error" 2 "x509.subject" "${TS[@]}" \
    --notation-identity "CN=x" "$T/l-jws"
  check "layout: unsigned" 1 "no signature found" "${TS[@]}" "$T/oci"
  check "layout: --dct says Notary v1 is retired" 1 "Docker Content Trust was asked for, but Notary v1 is retired" \
    "${TS[@]}" --dct "$T/oci"
  out=$(DOCKER_CONTENT_TRUST=1 "$DD" verify "${TS[@]}" "$T/oci" 2>&1)
  rc=$?
  [ $rc = 1 ] && printf '%s' "$out" | grep -q "Notary v1 is retired: the image counts as unsigned" &&
    pass "notation: DOCKER_CONTENT_TRUST=1 says Notary v1 is retired" ||
    fail "notation: DOCKER_CONTENT_TRUST=1: rc $rc: $out"
  check "layout: --dct alone: unsigned, DCT retired" 1 "Notary v1 is retired: the image counts as unsigned" --dct "$T/oci"
  out=$("$DD" scan -q --scanners config -f json --require-signature --dct "$T/oci" 2> /dev/null)
  printf '%s' "$out" | jq -e '.findings[] | select(.id == "trust.unsigned" and (.title | test("Notary v1 is retired")))' > /dev/null &&
    pass "notation: scan --require-signature --dct: trust.unsigned saying Notary v1 is retired" ||
    fail "notation: scan --dct: $(printf '%s' "$out" | jq -c '[.findings[] | select(.kind == "trust")]')"
  check "layout: --dct alone on a Notation-signed image: found, not checked" 1 "no trust store given.*Notary v1) is retired" \
    --dct "$T/l-jws"
  check "layout: no trust store, only --key: Notation signature found but not checked" 1 "no trust store given" \
    --key "$T/pki/ca.pem" "$T/l-jws"
  check "layout: missing trust store" 3 "not found" --trust-store "$T/nope" "$T/l-jws"
  # two signatures, one bad: the good one verifies the image
  cp -r "$T/l-flip" "$T/l-two"
  $NS layout "$T/l-two" "$T/pki" ec cose > /dev/null
  check "layout: a bad and a good signature -> verified" 0 "notation-jws FAILED.*notation-cose OK" "${TS[@]}" "$T/l-two"
  out=$("$DD" verify -f json "${TS[@]}" "$T/l-two" 2> /dev/null)
  if printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); k=sorted(s["kind"] for s in d["signatures"]); assert d["verified"] and k==["notation-cose","notation-jws"], k; assert [s for s in d["signatures"] if s["kind"]=="notation-jws"][0]["check"]=="signature"'; then
    pass "notation: json lists each signature as notation-jws / notation-cose with its check"
  else
    fail "notation: json: $out"
  fi
  scan_has() { # NAME WANT-ID NOT-ID ARGS...
    local name=$1 want=$2 not=$3
    shift 3
    out=$("$DD" scan -q --scanners config -f json --require-signature "$@" 2> /dev/null)
    ids=$(printf '%s' "$out" | jq -r '[.findings[] | select(.kind == "trust") | .id] | join(",")')
    if [ "$ids" = "$want" ]; then
      pass "notation: scan --require-signature: $name"
    else
      fail "notation: scan --require-signature: $name: trust findings '$ids', want '$want'"
    fi
  }
  scan_has "valid JWS -> no trust finding" "" x "${TS[@]}" "$T/l-jws"
  scan_has "another CA -> trust.signer-untrusted" "trust.signer-untrusted" x --trust-store "$T/other/store" "$T/l-jws"
  scan_has "identity mismatch -> trust.signer-untrusted" "trust.signer-untrusted" x "${TS[@]}" \
    --notation-identity "x509.subject: CN=someone else" "$T/l-cose"
  scan_has "flipped payload -> trust.signature-invalid" "trust.signature-invalid" x "${TS[@]}" "$T/l-flip"
  scan_has "expiry passed -> trust.signature-invalid" "trust.signature-invalid" x "${TS[@]}" "$T/l-exp"
  scan_has "unsigned -> trust.unsigned" "trust.unsigned" x "${TS[@]}" "$T/oci"
  out=$("$DD" scan -q --scanners config --trust-store "$T/pki/store" "$T/l-jws" 2>&1)
  [ $? = 2 ] && printf '%s' "$out" | grep -q "require-signature" &&
    pass "notation: scan --trust-store without --require-signature is a usage error" ||
    fail "notation: scan --trust-store alone: $out"

  # the referrers API: mini_registry.py serves the layout
  MP=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  python3 "$HERE/mini_registry.py" "$T/l-two" "$MP" > /dev/null 2>&1 &
  MPID=$!
  for _ in $(seq 1 40); do curl -s -o /dev/null "http://127.0.0.1:$MP/v2/" && break; sleep 0.25; done
  check "referrers API: COSE verifies, flipped JWS fails" 0 "notation-jws FAILED.*notation-cose OK" \
    --insecure-registry "127.0.0.1:$MP" "${TS[@]}" "127.0.0.1:$MP/app:1"
  kill "$MPID" 2> /dev/null
  MPID=
else
  skip "notation: layouts: ../shared/tools/registry/mkoci.sh not present"
fi

# ---- a real registry: the referrers tag ---------------------------------
for tool in docker-registry skopeo htpasswd openssl curl; do
  if ! command -v $tool > /dev/null; then
    skip "notation registry: $tool not installed (docker-registry, skopeo, apache2-utils)"
    exit 0
  fi
done
if [ ! -x "$SH/start-registry.sh" ]; then
  skip "notation registry: ../shared/tools/registry not present"
  exit 0
fi
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if ! "$SH/start-registry.sh" "$T/reg" "$P"; then
  fail "notation: registry did not start"
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
for i in jws cose flip other exp unsigned; do mkimg $i; done
$NS push "$H" test/app jws "$T/pki" rsa jws > /dev/null
$NS push "$H" test/app cose "$T/pki" ec cose > /dev/null
$NS push "$H" test/app flip "$T/pki" ec jws flip-payload > /dev/null
$NS push "$H" test/app other "$T/pki" ec cose digest=sha256:1111111111111111111111111111111111111111111111111111111111111111 > /dev/null
$NS push "$H" test/app exp "$T/pki" rsa jws expiry-past > /dev/null
check "registry: JWS referrer (referrers tag) verifies" 0 "notation-jws OK" "${RO[@]}" "${TS[@]}" "$H/test/app:jws"
check "registry: COSE referrer verifies" 0 "notation-cose OK" "${RO[@]}" "${TS[@]}" "$H/test/app:cose"
check "registry: another CA -> chain" 1 "does not lead" "${RO[@]}" --trust-store "$T/other/store" "$H/test/app:jws"
check "registry: flipped payload" 1 "signature does not verify" "${RO[@]}" "${TS[@]}" "$H/test/app:flip"
check "registry: payload naming another digest" 1 "another artifact" "${RO[@]}" "${TS[@]}" "$H/test/app:other"
check "registry: expiry passed" 1 "expired at" "${RO[@]}" "${TS[@]}" "$H/test/app:exp"
check "registry: unsigned" 1 "no signature found" "${RO[@]}" "${TS[@]}" "$H/test/app:unsigned"
out=$(echo testpass | "$DD" scan "${RO[@]}" -q --scanners config -f json --require-signature --trust-store \
  "$T/other/store" "$H/test/app:cose" 2> /dev/null | jq -r '[.findings[] | select(.kind == "trust") | .id] | join(",")')
[ "$out" = trust.signer-untrusted ] && pass "notation: registry scan: another CA -> trust.signer-untrusted" ||
  fail "notation: registry scan: '$out'"
exit 0
