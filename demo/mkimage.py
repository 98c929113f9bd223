#!/usr/bin/env python3
"""mkimage.py SPEC.json - write an OCI image layout (directory) and a
`docker save` archive from layer tars. Standard library only.

SPEC: {"out": DIR, "name": "demo", "tag": "latest",
       "config": {...image config "config" object...},
       "layers": [{"tar": PATH, "created_by": "..."}, ...]}
Layers are gzip-compressed for the OCI layout and stored plain in the
docker archive, as `docker save` does."""
import gzip, hashlib, io, json, os, shutil, sys, tarfile

spec = json.load(open(sys.argv[1]))
out = spec["out"]
oci = os.path.join(out, "oci")
shutil.rmtree(oci, ignore_errors=True)
blobs = os.path.join(oci, "blobs", "sha256")
os.makedirs(blobs)

def put(data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, d), "wb") as f:
        f.write(data)
    return "sha256:" + d, len(data)

def cj(o):
    return json.dumps(o, sort_keys=True, separators=(",", ":")).encode()

layers, diff_ids, history, raw = [], [], [], []
for L in spec["layers"]:
    data = open(L["tar"], "rb").read()
    raw.append(data)
    diff_ids.append("sha256:" + hashlib.sha256(data).hexdigest())
    gz = gzip.compress(data, compresslevel=6, mtime=0)
    dg, size = put(gz)
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": dg, "size": size})
    history.append({"created": "2024-06-01T00:00:00Z", "created_by": L["created_by"]})
for h in spec.get("extra_history", []):
    history.append(dict(h, created="2024-06-01T00:00:00Z", empty_layer=True))
config = {"architecture": "amd64", "os": "linux", "created": "2024-06-01T00:00:00Z",
          "config": spec.get("config", {}), "rootfs": {"type": "layers", "diff_ids": diff_ids},
          "history": history}
cfg = cj(config)
cdg, csz = put(cfg)
man = cj({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cdg, "size": csz},
          "layers": layers})
mdg, msz = put(man)
ref = "%s:%s" % (spec["name"], spec.get("tag", "latest"))
with open(os.path.join(oci, "index.json"), "wb") as f:
    f.write(cj({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": mdg, "size": msz,
        "annotations": {"org.opencontainers.image.ref.name": spec.get("tag", "latest"),
                        "io.containerd.image.name": ref},
        "platform": {"architecture": "amd64", "os": "linux"}}]}))
with open(os.path.join(oci, "oci-layout"), "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')

def add(tf, name, data):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 0
    tf.addfile(ti, io.BytesIO(data))

with tarfile.open(os.path.join(out, spec["name"] + "-docker.tar"), "w") as tf:
    paths = []
    for i, data in enumerate(raw):
        p = "%s/layer.tar" % diff_ids[i][7:]
        add(tf, p, data)
        paths.append(p)
    add(tf, cdg[7:] + ".json", cfg)
    add(tf, "manifest.json", json.dumps([{"Config": cdg[7:] + ".json", "RepoTags": [ref], "Layers": paths}]).encode())
print(json.dumps({"image": ref, "manifest": mdg, "layers": len(layers)}))
