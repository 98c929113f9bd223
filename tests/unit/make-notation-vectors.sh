#!/bin/sh
# tests/unit/make-notation-vectors.sh - regenerates tests/data/notation/
# (test_notation.c's vectors) and the seed corpora of fuzz_notation_jws
# and fuzz_cose with tests/integration/notation_sign.py (python3-
# cryptography). The leaf certificates are valid for a year from the
# time this runs; the tests check the chain at the envelopes' signing
# time, so the vectors do not age.
set -eu
cd "$(dirname "$0")/../.."
NS="python3 tests/integration/notation_sign.py"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
D=tests/data/notation
FJ=tests/fuzz/corpus/fuzz_notation_jws
FC=tests/fuzz/corpus/fuzz_cose
rm -rf "$D" "$FJ" "$FC"
mkdir -p "$D" "$FJ" "$FC"
$NS ca "$T/pki" test
$NS ca "$T/other" other
$NS leaf "$T/pki" rsa rsa
$NS leaf "$T/pki" ec ec
$NS tsa "$T/pki"
DG=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
SZ=1234
T0=$(date +%s)
echo "$T0" > "$D/signing-time"
env() { $NS envelope "$T/pki" "$1" "$2" $DG $SZ "$D/$3" time=$T0 ${4:-}; }
env rsa jws ps256.jws
env ec jws es256.jws
env ec cose es256.cose
env rsa jws flip.jws flip-payload
env ec cose flip.cose flip-payload
env ec jws crit.jws crit=io.example.unknown
env ec cose crit.cose crit=io.example.unknown
env rsa jws expiry.jws expiry-future
env ec cose expiry.cose expiry-future
env rsa jws sa.jws sa
env ec cose sa.cose sa
env ec jws alg.jws alg=ES384
env ec cose alg.cose alg=PS256
env ec jws ts.jws timestamp
env rsa jws tsbad.jws timestamp-other
env ec cose ts.cose timestamp
cp -r "$T/pki/store" "$D/store"
mkdir -p "$D/store-sa/x509/signingAuthority/test"
cp "$T/pki/ca.pem" "$D/store-sa/x509/signingAuthority/test/root.pem"
cp "$T/pki/ca.pem" "$D/ca.pem"
cp "$T/other/ca.pem" "$D/other.pem"
cp "$D"/*.jws "$FJ/"
cp "$D"/*.cose "$FC/"
printf '{"payload":"e30","protected":"e30","header":{"x5c":["AA"]},"signature":"AA"}' > "$FJ/empty-protected.json"
printf '{}' > "$FJ/object.json"
head -c 200 "$D/es256.jws" > "$FJ/truncated.json"
printf '\322\204\100\240\100\100' > "$FC/empty.cbor"
printf '\322\237\377' > "$FC/indefinite.cbor"
head -c 300 "$D/es256.cose" > "$FC/truncated.cbor"
