#!/usr/bin/env python3
"""notation_sign.py - Notary Project (Notation) signatures made with
python3-cryptography for the tests (the notation CLI is not in Debian):
a test CA and code-signing leaves, JWS (PS256 with RSA 2048, ES256 with
P-256) and COSE_Sign1 (ES256, CBOR written by hand) envelopes over the
payload {"targetArtifact": descriptor}, pushed to a registry as an OCI 1.1
referrer (+ the sha256-<hex> referrers tag) or added to an OCI layout.

  notation_sign.py ca DIR [NAME]          CA key and cert, and the trust
                                          store DIR/store/x509/ca/NAME/
  notation_sign.py leaf DIR LEAF rsa|ec [expired|noeku] [SUBJECT-CN]
  notation_sign.py tsa DIR                a timestamp authority (openssl ts)
                                          and DIR/store/x509/tsa/test/
  notation_sign.py push REG REPO TAG DIR LEAF jws|cose [MOD...]
  notation_sign.py layout LAYOUT DIR LEAF jws|cose [MOD...]
  notation_sign.py envelope DIR LEAF jws|cose DIGEST SIZE OUT [MOD...]
MOD: flip-payload  the payload changed after signing
     digest=D      the payload names digest D
     crit=NAME     an extra critical header NAME (present, unknown)
     expiry-past   io.cncf.notary.expiry an hour ago
     expiry-future io.cncf.notary.expiry in a day
     time=UNIX     the signing time
     sa            scheme notary.x509.signingAuthority (authenticSigningTime)
     alg=NAME      the alg header says NAME (the signature stays ES256/PS256)
     timestamp     an RFC 3161 countersignature over the signature value
                   (openssl ts with DIR's TSA; needs `tsa DIR` first)
     timestamp-other  the same over other bytes (does not match)
Environment for push: CACERT, CREDS (user:pass)."""
import base64, datetime, hashlib, json, os, ssl, struct, sys, time, urllib.error, urllib.request

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OCI_M = "application/vnd.oci.image.manifest.v1+json"
OCI_I = "application/vnd.oci.image.index.v1+json"
SIG_T = "application/vnd.cncf.notary.signature"
CTY = "application/vnd.cncf.notary.payload.v1+json"
SCHEME = "io.cncf.notary.signingScheme"


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def pem_w(path, data):
    with open(path, "wb") as f:
        f.write(data)


def load(dirn, name):
    key = serialization.load_pem_private_key(open("%s/%s.key" % (dirn, name), "rb").read(), None)
    cert = x509.load_pem_x509_certificate(open("%s/%s.pem" % (dirn, name), "rb").read())
    return key, cert


def new_ca(dirn, name):
    os.makedirs("%s/store/x509/ca/%s" % (dirn, name), exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.timezone.utc)
    nm = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "drydock test CA " + name),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "drydock tests")])
    cert = (x509.CertificateBuilder().subject_name(nm).issuer_name(nm).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=3650)).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .sign(key, hashes.SHA256()))
    pem_w("%s/ca.key" % dirn, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()))
    pem = cert.public_bytes(serialization.Encoding.PEM)
    pem_w("%s/ca.pem" % dirn, pem)
    pem_w("%s/store/x509/ca/%s/root.pem" % (dirn, name), pem)


def new_leaf(dirn, name, kind, mod, cn):
    ca_key, ca = load(dirn, "ca")
    key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) if kind == "rsa"
           else ec.generate_private_key(ec.SECP256R1()))
    now = datetime.datetime.now(datetime.timezone.utc)
    if mod == "expired":  # valid long before the signing time
        nb, na = now - datetime.timedelta(days=400), now - datetime.timedelta(days=30)
    else:
        nb, na = now - datetime.timedelta(days=1), now + datetime.timedelta(days=365)
    nm = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                    x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "WA"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "drydock tests"),
                    x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    eku = [ExtendedKeyUsageOID.SERVER_AUTH] if mod == "noeku" else [ExtendedKeyUsageOID.CODE_SIGNING]
    cert = (x509.CertificateBuilder().subject_name(nm).issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(nb).not_valid_after(na)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage(eku), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem_w("%s/%s.key" % (dirn, name), key.private_bytes(serialization.Encoding.PEM,
                                                        serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))
    pem_w("%s/%s.pem" % (dirn, name), cert.public_bytes(serialization.Encoding.PEM))


def new_tsa(dirn):
    os.makedirs("%s/store/x509/tsa/test" % dirn, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    nm = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "drydock test TSA root")])
    ca = (x509.CertificateBuilder().subject_name(nm).issuer_name(nm).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=3650)).not_valid_after(now + datetime.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "drydock test TSA")]))
            .issuer_name(ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=3650)).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(ca_key, hashes.SHA256()))
    pem_w("%s/tsa.key" % dirn, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
    pem_w("%s/tsa.pem" % dirn, cert.public_bytes(serialization.Encoding.PEM))
    pem_w("%s/tsa-ca.pem" % dirn, ca.public_bytes(serialization.Encoding.PEM))
    pem_w("%s/store/x509/tsa/test/tsa-root.pem" % dirn, ca.public_bytes(serialization.Encoding.PEM))
    pem_w("%s/tsaserial" % dirn, b"01\n")
    pem_w("%s/tsa.cnf" % dirn, ("[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\nserial = %s/tsaserial\n"
                                "signer_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\n"
                                "accuracy = secs:1\ness_cert_id_alg = sha256\n" % dirn).encode())


def timestamp(dirn, data):
    import subprocess, tempfile
    with tempfile.TemporaryDirectory() as t:
        open(t + "/d", "wb").write(data)
        subprocess.run(["openssl", "ts", "-query", "-data", t + "/d", "-sha256", "-cert", "-no_nonce",
                        "-out", t + "/q"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["openssl", "ts", "-reply", "-queryfile", t + "/q", "-signer", dirn + "/tsa.pem",
                        "-inkey", dirn + "/tsa.key", "-chain", dirn + "/tsa-ca.pem", "-config", dirn + "/tsa.cnf",
                        "-token_out", "-out", t + "/tok"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        return open(t + "/tok", "rb").read()


def raw_sign(key, data):
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


# ---- CBOR (just what COSE_Sign1 needs) ----
class Tag:
    def __init__(self, n, v):
        self.n, self.v = n, v


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for ai, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < (1 << (8 * struct.calcsize(fmt))):
            return bytes([major << 5 | ai]) + struct.pack(fmt, n)


def cbor(v):
    if isinstance(v, Tag):
        return cbor_head(6, v.n) + cbor(v.v)
    if isinstance(v, bool):
        return bytes([0xf5 if v else 0xf4])
    if isinstance(v, int):
        return cbor_head(0, v) if v >= 0 else cbor_head(1, -1 - v)
    if isinstance(v, bytes):
        return cbor_head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode()
        return cbor_head(3, len(b)) + b
    if isinstance(v, list):
        return cbor_head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        return cbor_head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    raise TypeError(v)


def envelope(dirn, leaf, fmt, desc, mods):
    key, cert = load(dirn, leaf)
    _, ca = load(dirn, "ca")
    t = int(time.time())
    crit_extra, expiry, alg = None, None, None
    sa = "sa" in mods
    for m in mods:
        if m.startswith("digest="):
            desc = dict(desc, digest=m[7:])
        elif m.startswith("crit="):
            crit_extra = m[5:]
        elif m == "expiry-past":
            expiry = -3600
        elif m == "expiry-future":
            expiry = 86400
        elif m.startswith("time="):
            t = int(m[5:])
        elif m.startswith("alg="):
            alg = m[4:]
    if expiry is not None:  # relative to the signing time
        expiry += t if expiry > 0 else int(time.time())
    payload = json.dumps({"targetArtifact": desc}, separators=(",", ":")).encode()
    ders = [c.public_bytes(serialization.Encoding.DER) for c in (cert, ca)]
    alg_rsa = isinstance(key, rsa.RSAPrivateKey)
    if fmt == "jws":
        iso = lambda u: datetime.datetime.fromtimestamp(u, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        hdr = {"alg": alg or ("PS256" if alg_rsa else "ES256"), "cty": CTY, "crit": [SCHEME],
               SCHEME: "notary.x509", "io.cncf.notary.signingTime": iso(t)}
        if sa:
            del hdr["io.cncf.notary.signingTime"]
            hdr[SCHEME] = "notary.x509.signingAuthority"
            hdr["crit"].append("io.cncf.notary.authenticSigningTime")
            hdr["io.cncf.notary.authenticSigningTime"] = iso(t)
        if expiry is not None:
            hdr["crit"].append("io.cncf.notary.expiry")
            hdr["io.cncf.notary.expiry"] = iso(expiry)
        if crit_extra:
            hdr["crit"].append(crit_extra)
            hdr[crit_extra] = "x"
        prot, pl = b64u(json.dumps(hdr).encode()), b64u(payload)
        sig = raw_sign(key, (prot + "." + pl).encode())
        if "flip-payload" in mods:
            p2 = bytearray(payload)
            p2[len(p2) // 2] ^= 1
            pl = b64u(bytes(p2))
        env = {"payload": pl, "protected": prot,
               "header": {"x5c": [base64.b64encode(d).decode() for d in ders],
                          "io.cncf.notary.signingAgent": "drydock-tests/1"},
               "signature": b64u(sig)}
        if "timestamp" in mods or "timestamp-other" in mods:
            tok = timestamp(dirn, sig if "timestamp" in mods else sig + b"x")
            env["header"]["io.cncf.notary.timestampSignature"] = base64.b64encode(tok).decode()
        return json.dumps(env).encode(), "application/jose+json"
    cose_alg = {"PS256": -37, "PS384": -38, "PS512": -39, "ES256": -7, "ES384": -35, "ES512": -36}
    hdr = {1: cose_alg[alg] if alg else (-37 if alg_rsa else -7), 2: [SCHEME], 3: CTY, SCHEME: "notary.x509",
           "io.cncf.notary.signingTime": Tag(1, t)}
    if sa:
        del hdr["io.cncf.notary.signingTime"]
        hdr[SCHEME] = "notary.x509.signingAuthority"
        hdr[2].append("io.cncf.notary.authenticSigningTime")
        hdr["io.cncf.notary.authenticSigningTime"] = Tag(1, t)
    if expiry is not None:
        hdr[2].append("io.cncf.notary.expiry")
        hdr["io.cncf.notary.expiry"] = Tag(1, expiry)
    if crit_extra:
        hdr[2].append(crit_extra)
        hdr[crit_extra] = "x"
    prot = cbor(hdr)
    sig = raw_sign(key, cbor(["Signature1", prot, b"", payload]))
    if "flip-payload" in mods:
        p2 = bytearray(payload)
        p2[len(p2) // 2] ^= 1
        payload = bytes(p2)
    unprot = {33: ders, "io.cncf.notary.signingAgent": "drydock-tests/1"}
    if "timestamp" in mods or "timestamp-other" in mods:
        unprot["io.cncf.notary.timestampSignature"] = timestamp(dirn, sig if "timestamp" in mods else sig + b"x")
    env = Tag(18, [prot, unprot, payload, sig])
    return cbor(env), "application/cose"


def sig_manifest(env, mt, desc):
    cfg = b"{}"
    m = {"schemaVersion": 2, "mediaType": OCI_M, "artifactType": SIG_T,
         "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": sha(cfg), "size": len(cfg)},
         "layers": [{"mediaType": mt, "digest": sha(env), "size": len(env)}],
         "subject": desc,
         "annotations": {"io.cncf.notary.x509chain.thumbprint#S256": "[]"}}
    return cfg, json.dumps(m).encode()


CMD, ARGS = sys.argv[1], sys.argv[2:]
if CMD == "ca":
    os.makedirs(ARGS[0], exist_ok=True)
    new_ca(ARGS[0], ARGS[1] if len(ARGS) > 1 else "test")
elif CMD == "leaf":
    dirn, name, kind = ARGS[:3]
    mod = ARGS[3] if len(ARGS) > 3 and ARGS[3] in ("expired", "noeku") else ""
    cn = ARGS[-1] if len(ARGS) > 3 and ARGS[-1] not in ("expired", "noeku") else "drydock signer"
    new_leaf(dirn, name, kind, mod, cn)
elif CMD == "tsa":
    new_tsa(ARGS[0])
elif CMD == "envelope":
    dirn, leaf, fmt, d, size, out = ARGS[:6]
    env, _ = envelope(dirn, leaf, fmt, {"mediaType": OCI_M, "digest": d, "size": int(size)}, ARGS[6:])
    open(out, "wb").write(env)
elif CMD == "layout":
    lay, dirn, leaf, fmt = ARGS[:4]
    idx = json.load(open(lay + "/index.json"))
    img = [e for e in idx["manifests"] if "artifactType" not in e and
           not e.get("annotations", {}).get("org.opencontainers.image.ref.name", "").startswith("sha256-")][0]
    desc = {"mediaType": img.get("mediaType", OCI_M), "digest": img["digest"], "size": img["size"]}
    env, mt = envelope(dirn, leaf, fmt, desc, ARGS[4:])
    cfg, m = sig_manifest(env, mt, desc)
    for b in (cfg, env, m):
        open("%s/blobs/sha256/%s" % (lay, sha(b)[7:]), "wb").write(b)
    idx["manifests"].append({"mediaType": OCI_M, "digest": sha(m), "size": len(m), "artifactType": SIG_T})
    json.dump(idx, open(lay + "/index.json", "w"))
    print(sha(m))
elif CMD == "push":
    reg, repo, tag, dirn, leaf, fmt = ARGS[:6]
    ctx = ssl.create_default_context(cafile=os.environ["CACERT"])
    auth = "Basic " + base64.b64encode(os.environ.get("CREDS", "testuser:testpass").encode()).decode()

    def req(method, path, data=None, headers=None):
        h = {"Authorization": auth}
        h.update(headers or {})
        r = urllib.request.Request("https://%s/v2/%s" % (reg, path), data=data, method=method, headers=h)
        with urllib.request.urlopen(r, context=ctx, timeout=10) as resp:
            return resp.read(), resp.headers

    def put_blob(b):
        _, h = req("POST", "%s/blobs/uploads/" % repo, b"")
        loc = h["Location"].split("/v2/", 1)[1]
        sep = "&" if "?" in loc else "?"
        req("PUT", "%s%sdigest=%s" % (loc, sep, sha(b)), b, {"Content-Type": "application/octet-stream"})

    man = req("GET", "%s/manifests/%s" % (repo, tag), headers={"Accept": OCI_M})[0]
    desc = {"mediaType": json.loads(man).get("mediaType", OCI_M), "digest": sha(man), "size": len(man)}
    env, mt = envelope(dirn, leaf, fmt, desc, ARGS[6:])
    cfg, m = sig_manifest(env, mt, desc)
    put_blob(cfg)
    put_blob(env)
    req("PUT", "%s/manifests/%s" % (repo, sha(m)), m, {"Content-Type": OCI_M})
    rtag = "sha256-" + sha(man)[7:]
    try:
        idx = json.loads(req("GET", "%s/manifests/%s" % (repo, rtag), headers={"Accept": OCI_I})[0])
    except urllib.error.HTTPError:
        idx = {"schemaVersion": 2, "mediaType": OCI_I, "manifests": []}
    idx["manifests"].append({"mediaType": OCI_M, "digest": sha(m), "size": len(m), "artifactType": SIG_T})
    req("PUT", "%s/manifests/%s" % (repo, rtag), json.dumps(idx).encode(), {"Content-Type": OCI_I})
    print(sha(m))
else:
    sys.exit(__doc__)
