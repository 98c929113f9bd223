#!/usr/bin/env python3
"""sigtool.py - test fixture maker for test_verify_image.sh: edits cosign
signatures and pushes Sigstore-bundle referrers on a local registry
(127.0.0.1, the test's CA, Basic auth), and copies images with their
signature manifests into an OCI layout.

  sigtool.py REG digest REPO TAG                 print the manifest digest
  sigtool.py REG copy-sig REPO FROM_TAG TO_TAG   sig manifest -> another tag
  sigtool.py REG tamper-payload REPO TAG         payload bytes changed
  sigtool.py REG tamper-sig REPO TAG             one signature byte flipped
  sigtool.py REG tamper-set REPO TAG             Rekor SET byte flipped
  sigtool.py REG referrer REPO TAG KEY [--api-only]
                 bundle signing the manifest digest with KEY (openssl),
                 pushed as a referrer + the sha256-<hex> referrers tag
  sigtool.py REG layout REPO TAG DIR             image + .sig + referrers into DIR
  sigtool.py REG keyless REPO TAG DIR EMAIL ISSUER
                 keyless cosign signature: a test CA issues a code-signing
                 certificate for EMAIL/ISSUER, a test log key signs the
                 Rekor entry (SET); DIR/trusted_root.json trusts both
  sigtool.py REG attest REPO TAG KEY             DSSE in-toto attestation
                 (.att tag) whose subject is the image, signed with KEY
Environment: CACERT, CREDS (user:pass)."""
import base64, hashlib, json, os, ssl, subprocess, sys, urllib.request, urllib.error

REG, CMD = sys.argv[1], sys.argv[2]
ARGS = sys.argv[3:]
CTX = ssl.create_default_context(cafile=os.environ["CACERT"])
AUTH = "Basic " + base64.b64encode(os.environ.get("CREDS", "testuser:testpass").encode()).decode()
ACCEPT = ",".join(["application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
                   "application/vnd.docker.distribution.manifest.v2+json"])
OCI_M = "application/vnd.oci.image.manifest.v1+json"


def req(method, path, data=None, headers=None):
    h = {"Authorization": AUTH}
    h.update(headers or {})
    r = urllib.request.Request("https://%s/v2/%s" % (REG, path), data=data, method=method, headers=h)
    with urllib.request.urlopen(r, context=CTX, timeout=10) as resp:
        return resp.read(), resp.headers


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def get_manifest(repo, ref):
    return req("GET", "%s/manifests/%s" % (repo, ref), headers={"Accept": ACCEPT})[0]


def put_manifest(repo, ref, body, mt=OCI_M):
    req("PUT", "%s/manifests/%s" % (repo, ref), body, {"Content-Type": mt})


def get_blob(repo, d):
    return req("GET", "%s/blobs/%s" % (repo, d))[0]


def put_blob(repo, b):
    _, h = req("POST", "%s/blobs/uploads/" % repo, b"")
    loc = h["Location"]
    if loc.startswith("https://"):
        loc = loc.split("/v2/", 1)[1]
    else:
        loc = loc.split("/v2/", 1)[1]
    sep = "&" if "?" in loc else "?"
    req("PUT", "%s%sdigest=%s" % (loc, sep, sha(b)), b, {"Content-Type": "application/octet-stream"})
    return sha(b)


def sig_tag(repo, tag):
    return "sha256-%s.sig" % sha(get_manifest(repo, tag))[7:]


def edit_sig(repo, tag, fn):
    t = sig_tag(repo, tag)
    m = json.loads(get_manifest(repo, t))
    fn(repo, m["layers"][0])
    put_manifest(repo, t, json.dumps(m).encode())


if CMD == "digest":
    print(sha(get_manifest(ARGS[0], ARGS[1])))
elif CMD == "copy-sig":
    repo, frm, to = ARGS
    body = get_manifest(repo, sig_tag(repo, frm))
    put_manifest(repo, sig_tag(repo, to), body)
elif CMD == "tamper-payload":
    def f(repo, layer):
        p = get_blob(repo, layer["digest"]).replace(b'"optional":null', b'"optional":{"x":"1"}')
        layer["digest"], layer["size"] = put_blob(repo, p), len(p)
    edit_sig(ARGS[0], ARGS[1], f)
elif CMD == "tamper-sig":
    def f(repo, layer):
        k = "dev.cosignproject.cosign/signature"
        s = bytearray(base64.b64decode(layer["annotations"][k]))
        s[len(s) // 2] ^= 1
        layer["annotations"][k] = base64.b64encode(bytes(s)).decode()
    edit_sig(ARGS[0], ARGS[1], f)
elif CMD == "tamper-set":
    def f(repo, layer):
        k = "dev.sigstore.cosign/bundle"
        rb = json.loads(layer["annotations"][k])
        s = bytearray(base64.b64decode(rb["SignedEntryTimestamp"]))
        s[len(s) // 2] ^= 1
        rb["SignedEntryTimestamp"] = base64.b64encode(bytes(s)).decode()
        layer["annotations"][k] = json.dumps(rb)
    edit_sig(ARGS[0], ARGS[1], f)
elif CMD == "referrer":
    repo, tag, key = ARGS[:3]
    man = get_manifest(repo, tag)
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=man,
                         stdout=subprocess.PIPE, check=True).stdout
    bundle = json.dumps({
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {"publicKey": {"hint": ""}},
        "messageSignature": {"messageDigest": {"algorithm": "SHA2_256",
                                               "digest": base64.b64encode(hashlib.sha256(man).digest()).decode()},
                             "signature": base64.b64encode(sig).decode()}}).encode()
    bt = "application/vnd.dev.sigstore.bundle.v0.3+json"
    cfg = b"{}"
    cd, bd = put_blob(repo, cfg), put_blob(repo, bundle)
    rm = json.dumps({"schemaVersion": 2, "mediaType": OCI_M, "artifactType": bt,
                     "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": cd, "size": len(cfg)},
                     "layers": [{"mediaType": bt, "digest": bd, "size": len(bundle)}],
                     "subject": {"mediaType": OCI_M, "digest": sha(man), "size": len(man)}}).encode()
    put_manifest(repo, sha(rm), rm)
    idx = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                      "manifests": [{"mediaType": OCI_M, "digest": sha(rm), "size": len(rm),
                                     "artifactType": bt}]}).encode()
    put_manifest(repo, "sha256-" + sha(man)[7:], idx, "application/vnd.oci.image.index.v1+json")
    print(sha(rm))
elif CMD == "layout":
    repo, tag, out = ARGS
    os.makedirs(out + "/blobs/sha256", exist_ok=True)
    entries = []

    def put(b):
        open(out + "/blobs/sha256/" + sha(b)[7:], "wb").write(b)

    def copy(ref, name=None):
        m = get_manifest(repo, ref)
        put(m)
        j = json.loads(m)
        for d in [j["config"]] + j["layers"]:
            put(get_blob(repo, d["digest"]))
        e = {"mediaType": OCI_M, "digest": sha(m), "size": len(m)}
        if name:
            e["annotations"] = {"org.opencontainers.image.ref.name": name}
        if j.get("artifactType"):
            e["artifactType"] = j["artifactType"]
        entries.append(e)

    copy(tag, tag)
    try:
        copy(sig_tag(repo, tag), sig_tag(repo, tag))
    except urllib.error.HTTPError:
        pass
    try:  # referrers (from the referrers tag), as plain index entries
        idx = json.loads(get_manifest(repo, "sha256-" + sha(get_manifest(repo, tag))[7:]))
        for r in idx["manifests"]:
            copy(r["digest"])
    except urllib.error.HTTPError:
        pass
    open(out + "/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
    open(out + "/index.json", "w").write(json.dumps({"schemaVersion": 2, "manifests": entries}))
elif CMD == "keyless":
    import datetime, time
    from cryptography import x509
    from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID, ObjectIdentifier
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    repo, tag, out, email, issuer = ARGS
    os.makedirs(out, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, leaf_key, log_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    name = lambda cn: x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    ca = (x509.CertificateBuilder().subject_name(name("drydock test CA")).issuer_name(name("drydock test CA"))
          .public_key(ca_key.public_key()).serial_number(1)
          .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(x509.Name([])).issuer_name(ca.subject)
            .public_key(leaf_key.public_key()).serial_number(2)
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(minutes=10))
            .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
            .add_extension(x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.57264.1.1"), issuer.encode()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = lambda c: c.public_bytes(serialization.Encoding.PEM).decode()
    der = lambda c: base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode()
    log_der = log_key.public_key().public_bytes(serialization.Encoding.DER,
                                                serialization.PublicFormat.SubjectPublicKeyInfo)
    log_id = hashlib.sha256(log_der).digest()
    start = (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = {"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [{"baseUrl": "https://log.invalid", "hashAlgorithm": "SHA2_256",
                       "publicKey": {"rawBytes": base64.b64encode(log_der).decode(),
                                     "keyDetails": "PKIX_ECDSA_P256_SHA_256", "validFor": {"start": start}},
                       "logId": {"keyId": base64.b64encode(log_id).decode()}}],
            "certificateAuthorities": [{"subject": {"organization": "test", "commonName": "drydock test CA"},
                                        "uri": "https://ca.invalid", "certChain": {"certificates": [{"rawBytes": der(ca)}]},
                                        "validFor": {"start": start}}],
            "ctlogs": [], "timestampAuthorities": []}
    json.dump(root, open(out + "/trusted_root.json", "w"))
    man = get_manifest(repo, tag)
    dig = sha(man)
    payload = json.dumps({"critical": {"identity": {"docker-reference": "%s/%s" % (REG, repo)},
                                       "image": {"docker-manifest-digest": dig},
                                       "type": "cosign container image signature"}, "optional": None},
                         separators=(",", ":")).encode()
    sig = leaf_key.sign(payload, ec.ECDSA(hashes.SHA256()))
    body = json.dumps({"apiVersion": "0.0.1", "kind": "hashedrekord", "spec": {
        "data": {"hash": {"algorithm": "sha256", "value": hashlib.sha256(payload).hexdigest()}},
        "signature": {"content": base64.b64encode(sig).decode(),
                      "publicKey": {"content": base64.b64encode(pem(leaf).encode()).decode()}}}},
                      separators=(",", ":")).encode()
    b64body = base64.b64encode(body).decode()
    itime, lidx = int(time.time()), 7
    set_obj = {"body": b64body, "integratedTime": itime, "logID": log_id.hex(), "logIndex": lidx}
    canon = json.dumps(set_obj, sort_keys=True, separators=(",", ":")).encode()
    set_sig = log_key.sign(canon, ec.ECDSA(hashes.SHA256()))
    rb = {"SignedEntryTimestamp": base64.b64encode(set_sig).decode(),
          "Payload": {"body": b64body, "integratedTime": itime, "logIndex": lidx, "logID": log_id.hex()}}
    cfg = b'{"architecture":"","os":"","rootfs":{"type":"layers","diff_ids":[]},"config":{}}'
    cd, pd = put_blob(repo, cfg), put_blob(repo, payload)
    sm = json.dumps({"schemaVersion": 2, "mediaType": OCI_M,
                     "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": len(cfg), "digest": cd},
                     "layers": [{"mediaType": "application/vnd.dev.cosign.simplesigning.v1+json", "size": len(payload),
                                 "digest": pd, "annotations": {
                                     "dev.cosignproject.cosign/signature": base64.b64encode(sig).decode(),
                                     "dev.sigstore.cosign/certificate": pem(leaf),
                                     "dev.sigstore.cosign/chain": pem(ca),
                                     "dev.sigstore.cosign/bundle": json.dumps(rb)}}]}).encode()
    put_manifest(repo, "sha256-%s.sig" % dig[7:], sm)
elif CMD == "attest":
    repo, tag, key = ARGS
    man = get_manifest(repo, tag)
    dig = sha(man)
    st = json.dumps({"_type": "https://in-toto.io/Statement/v1",
                     "subject": [{"name": "%s/%s" % (REG, repo), "digest": {"sha256": dig[7:]}}],
                     "predicateType": "https://example.com/scan/v1", "predicate": {"ok": True}}).encode()
    pt = "application/vnd.in-toto+json"
    pae = b"DSSEv1 %d %s %d %s" % (len(pt), pt.encode(), len(st), st)
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=pae,
                         stdout=subprocess.PIPE, check=True).stdout
    env = json.dumps({"payloadType": pt, "payload": base64.b64encode(st).decode(),
                      "signatures": [{"keyid": "", "sig": base64.b64encode(sig).decode()}]}).encode()
    cfg = b'{"architecture":"","os":"","rootfs":{"type":"layers","diff_ids":[]},"config":{}}'
    cd, ed = put_blob(repo, cfg), put_blob(repo, env)
    am = json.dumps({"schemaVersion": 2, "mediaType": OCI_M,
                     "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": len(cfg), "digest": cd},
                     "layers": [{"mediaType": "application/vnd.dsse.envelope.v1+json", "size": len(env), "digest": ed,
                                 "annotations": {"predicateType": "https://example.com/scan/v1"}}]}).encode()
    put_manifest(repo, "sha256-%s.att" % dig[7:], am)
else:
    sys.exit("unknown command " + CMD)
