#!/bin/bash
# test_trust.sh - drydock verify-blob on Sigstore bundles made here with
# OpenSSL and managed keys (ECDSA P-256/P-384, RSA, Ed25519), and one
# negative case per check covered so far.
set -u
DRYDOCK=${DRYDOCK:-$PWD/build/drydock}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
cd "$t" || exit 1
echo hello > art
mkbundle() { # KEYFILE OUT [raw]
    python3 - "$@" <<'PY'
import base64, hashlib, json, sys
a = open("art", "rb").read(); s = open("sig", "rb").read()
b = {"mediaType": "application/vnd.dev.sigstore.bundle+json;version=0.1",
     "verificationMaterial": {"publicKey": {"hint": ""}},
     "messageSignature": {"messageDigest": {"algorithm": "SHA2_256",
         "digest": base64.b64encode(hashlib.sha256(a).digest()).decode()},
         "signature": base64.b64encode(s).decode()}}
json.dump(b, open(sys.argv[2], "w"))
PY
}
check() { # NAME WANT-RC ARGS...
    local name=$1 want=$2; shift 2
    out=$("$DRYDOCK" verify-blob "$@" 2>&1); rc=$?
    if [ "$rc" = "$want" ]; then echo "PASS $name"; else echo "FAIL $name: rc $rc want $want: $out"; fi
}
for alg in p256 p384 rsa ed25519; do
    case $alg in
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem 2>/dev/null ;;
    p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out k.pem 2>/dev/null ;;
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.pem 2>/dev/null ;;
    ed25519) openssl genpkey -algorithm ED25519 -out k.pem 2>/dev/null ;;
    esac
    openssl pkey -in k.pem -pubout -out pub.pem 2>/dev/null
    case $alg in
    ed25519) openssl pkeyutl -sign -rawin -inkey k.pem -in art -out sig 2>/dev/null ;;
    p384) openssl dgst -sha384 -sign k.pem -out sig art ;;
    *) openssl dgst -sha256 -sign k.pem -out sig art ;;
    esac
    mkbundle k.pem b.json
    check "key-$alg" 0 --bundle b.json --key pub.pem art
    openssl genpkey -algorithm ED25519 -out other.pem 2>/dev/null
    openssl pkey -in other.pem -pubout -out otherpub.pem 2>/dev/null
    check "key-$alg-wrong-key" 1 --bundle b.json --key otherpub.pem art
done
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem 2>/dev/null
openssl pkey -in k.pem -pubout -out pub.pem 2>/dev/null
openssl dgst -sha256 -sign k.pem -out sig art
mkbundle k.pem b.json
check digest-arg 0 --bundle b.json --key pub.pem "sha256:$(sha256sum art | cut -c1-64)"
cp art art2; echo x >> art2
check other-artifact 1 --bundle b.json --key pub.pem art2
python3 -c "
import json,base64; b=json.load(open('b.json')); s=bytearray(base64.b64decode(b['messageSignature']['signature'])); s[10]^=1
b['messageSignature']['signature']=base64.b64encode(bytes(s)).decode(); json.dump(b,open('flip.json','w'))"
check flipped-signature 1 --bundle flip.json --key pub.pem art
echo '{"mediaType":"x"}' > bad.json
check bad-media-type 1 --bundle bad.json --key pub.pem art
printf '{"a":1,"a":2}' > dup.json
check duplicate-keys 1 --bundle dup.json --key pub.pem art
check usage 2 --bundle b.json art
