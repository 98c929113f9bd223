#!/usr/bin/env python3
"""sigtool.py - test fixture maker for test_verify_image.sh: edits cosign
signatures and pushes Sigstore-bundle referrers on a local registry
(127.0.0.1, the test's CA, Basic auth), and copies images with their
signature manifests into an OCI layout.

  sigtool.py REG digest REPO TAG                 print the manifest digest
  sigtool.py REG copy-sig REPO FROM_TAG TO_TAG   sig manifest -> another tag
  sigtool.py REG tamper-payload REPO TAG         payload bytes changed
  sigtool.py REG tamper-sig REPO TAG             one signature byte flipped
  sigtool.py REG referrer REPO TAG KEY [--api-only]
                 bundle signing the manifest digest with KEY (openssl),
                 pushed as a referrer + the sha256-<hex> referrers tag
  sigtool.py REG layout REPO TAG DIR             image + .sig into DIR
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

    for t in (tag, sig_tag(repo, tag)):
        m = get_manifest(repo, t)
        put(m)
        j = json.loads(m)
        for d in [j["config"]] + j["layers"]:
            put(get_blob(repo, d["digest"]))
        entries.append({"mediaType": OCI_M, "digest": sha(m), "size": len(m),
                        "annotations": {"org.opencontainers.image.ref.name": t}})
    open(out + "/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
    open(out + "/index.json", "w").write(json.dumps({"schemaVersion": 2, "manifests": entries}))
else:
    sys.exit("unknown command " + CMD)
