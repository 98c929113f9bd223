#!/usr/bin/env python3
"""Independent oracle for the package inventory of an OCI layout directory.

usage: pkg_oracle.py OCI_DIR OUT_DIR
Applies the layers in order (whiteouts and opaque whiteouts included) for
the few database paths that matter and writes the final files to OUT_DIR:
  OUT_DIR/dpkg/status (+ info/ is not needed by dpkg-query -W)
  OUT_DIR/apk/installed
Prints one line per written file. Standard library only."""
import gzip, json, os, sys, tarfile

oci, out = sys.argv[1], sys.argv[2]
WANT = {"var/lib/dpkg/status": "dpkg/status",
        "lib/apk/db/installed": "apk/installed",
        "usr/lib/apk/db/installed": "apk/installed"}


def blob(d):
    return os.path.join(oci, "blobs", *d.split(":", 1))


idx = json.load(open(os.path.join(oci, "index.json")))
desc = idx["manifests"][0]
man = json.load(open(blob(desc["digest"])))
while "manifests" in man:
    man = json.load(open(blob(man["manifests"][0]["digest"])))
state = {}
for layer in man["layers"]:
    raw = open(blob(layer["digest"]), "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    import io
    with tarfile.open(fileobj=io.BytesIO(raw)) as tf:
        for m in tf:
            name = os.path.normpath(m.name.lstrip("./")).lstrip("/")
            base = os.path.basename(name)
            dirn = os.path.dirname(name)
            if base == ".wh..wh..opq":
                for k in list(state):
                    if k.startswith(dirn + "/"):
                        del state[k]
                continue
            if base.startswith(".wh."):
                state.pop(os.path.join(dirn, base[4:]), None)
                continue
            if name in WANT:
                if m.isfile():
                    state[name] = tf.extractfile(m).read()
                else:
                    state.pop(name, None)
for name, data in state.items():
    dst = os.path.join(out, WANT[name])
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "wb") as f:
        f.write(data)
    print(dst)
