#!/usr/bin/env python3
"""sign.py LAYOUT KEY.pem REFERENCE - sign the image of an OCI layout the
way `cosign sign --key` does (cosign's legacy tag layout, docs/trust.md):
a simple-signing payload naming the manifest digest, signed with the EC
key by openssl (ECDSA, SHA-256), stored as a signature manifest whose
index entry is named sha256-<hex>.sig. Standard library and the openssl
command only; the demo's own fixture, not a cosign replacement."""
import base64, hashlib, json, os, subprocess, sys, tempfile

layout, key, ref = sys.argv[1:4]
blobs = os.path.join(layout, "blobs", "sha256")
index_path = os.path.join(layout, "index.json")
index = json.load(open(index_path))
image = next(m for m in index["manifests"]
             if not m.get("annotations", {}).get(
                 "org.opencontainers.image.ref.name", "").endswith(".sig"))
digest = image["digest"]


def put(data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, d), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + d, "size": len(data)}


payload = json.dumps({
    "critical": {"identity": {"docker-reference": ref},
                 "image": {"docker-manifest-digest": digest},
                 "type": "cosign container image signature"},
    "optional": None}, separators=(",", ":")).encode()
with tempfile.NamedTemporaryFile() as f:
    f.write(payload)
    f.flush()
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key, f.name],
                         check=True, stdout=subprocess.PIPE).stdout
config = put(b"{}")
config["mediaType"] = "application/vnd.oci.image.config.v1+json"
layer = put(payload)
layer["mediaType"] = "application/vnd.dev.cosign.simplesigning.v1+json"
layer["annotations"] = {
    "dev.cosignproject.cosign/signature": base64.b64encode(sig).decode()}
manifest = json.dumps({"schemaVersion": 2,
                       "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": config, "layers": [layer]},
                      separators=(",", ":")).encode()
entry = put(manifest)
entry["mediaType"] = "application/vnd.oci.image.manifest.v1+json"
entry["annotations"] = {"org.opencontainers.image.ref.name":
                        digest.replace(":", "-") + ".sig"}
index["manifests"] = [m for m in index["manifests"]
                      if not m.get("annotations", {}).get(
                          "org.opencontainers.image.ref.name", "").endswith(".sig")]
index["manifests"].append(entry)
with open(index_path, "w") as f:
    json.dump(index, f)
print(digest)
