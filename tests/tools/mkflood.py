#!/usr/bin/env python3
"""tests/tools/mkflood.py KIND MIB OUT.tar - a docker-archive image whose
one file (or layers) makes a naive scanner do super-linear work (issue 23
section 3). MIB scales the input; doubling it must double the work.

Kinds:
  pem       unterminated "-----BEGIN RSA PRIVATE KEY-----" lines in a .pem
  password  "password=" assignments, one per line, in an .env file
  keywords  one line of secret-rule keywords with no secret, then a real
            GitHub token at the end (it must still be found)
  findings  many AWS access key ids (one finding each) in one layer, and a
            second layer whose whiteout deletes the file
  deep      files in directories 2,000 levels deep (MIB * 1,000 files)
  dpkgdup   the same dpkg status database (MIB MiB) in 8 layers
  dpkgbig   one dpkg status database of MIB MiB in one layer (MIB * 4,096
            packages: the SBOM documents must be streamed)

Prints one line: the number of items the scan must report or survive
(keys for `findings`, 1 for `keywords`, 0 otherwise)."""
import hashlib
import io
import json
import sys
import tarfile

# a fake key id with the vendor's shape (not a live credential)
AKID = "AKIAQ7XM3ZR9KPL2VN%02d"
GHP = "ghp_Xb9TqW3mZr7KpL2vNs8YdJ4hFc6GaE1Uo5Qi"


def layer(entries):
    """entries: (name, bytes or None for a directory) -> tar bytes"""
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name, data in entries:
            ti = tarfile.TarInfo(name)
            ti.mtime = 1704067200
            if data is None:
                ti.type = tarfile.DIRTYPE
                ti.mode = 0o755
                tf.addfile(ti)
            else:
                ti.size = len(data)
                ti.mode = 0o644
                tf.addfile(ti, io.BytesIO(data))
    return b.getvalue()


def image(out, layers):
    diffs = ["sha256:" + hashlib.sha256(ld).hexdigest() for ld in layers]
    cfg = {
        "architecture": "amd64", "os": "linux",
        "created": "2024-01-01T00:00:00Z",
        "config": {"Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": diffs},
        "history": [{"created": "2024-01-01T00:00:00Z",
                     "created_by": "/bin/sh -c #(nop) ADD file:%d in /" % i}
                    for i in range(len(layers))],
    }
    cb = json.dumps(cfg).encode()
    cname = hashlib.sha256(cb).hexdigest() + ".json"
    names = []
    with tarfile.open(out, "w") as tf:
        def put(n, d):
            ti = tarfile.TarInfo(n)
            ti.size = len(d)
            ti.mtime = 1704067200
            tf.addfile(ti, io.BytesIO(d))
        put(cname, cb)
        for i, ld in enumerate(layers):
            n = "%s/layer.tar" % hashlib.sha256(ld).hexdigest()
            if n not in names:
                put(n, ld)
            names.append(n)
        put("manifest.json", json.dumps([{
            "Config": cname, "RepoTags": ["flood:latest"],
            "Layers": names}]).encode())


def fill(unit, size):
    return unit * max(1, size // len(unit))


def main():
    kind, mib, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    size = mib << 20
    count = 0
    if kind == "pem":
        body = fill(b"-----BEGIN RSA PRIVATE KEY-----\n" + b"A" * 32 + b"\n",
                    size)
        layers = [layer([("keys", None), ("keys/flood.pem", body)])]
    elif kind == "password":
        body = fill(b"password=\n", size)
        layers = [layer([("app", None), ("app/.env", body)])]
        count = len(body) // 20  # every other line is a finding
    elif kind == "keywords":
        body = fill(b"pwd password secret token ", size - 64)
        body += b"\n" + GHP.encode() + b"\n"
        layers = [layer([("app", None), ("app/notes.txt", body)])]
        count = 1
    elif kind == "findings":
        n = size // 32
        body = b"".join(b"id=%s\n" % (AKID % (i % 100)).encode()
                        for i in range(n))
        layers = [layer([("data", None), ("data/keys.txt", body)]),
                  layer([("data", None), ("data/.wh.keys.txt", b"")])]
        count = n
    elif kind == "deep":
        parts = ["abcdefghij"[i % 10] for i in range(2000)]
        entries = []
        for i in range(1, len(parts) + 1):
            entries.append(("/".join(parts[:i]), None))
        top = "/".join(parts)
        for i in range(mib * 1000):
            entries.append(("%s/f%06d" % (top, i), b"x\n"))
        layers = [layer(entries)]
    elif kind in ("dpkgdup", "dpkgbig"):
        stanza = ("Package: pkg%06d\nStatus: install ok installed\n"
                  "Priority: optional\nSection: misc\nInstalled-Size: 1\n"
                  "Maintainer: T <t@example.invalid>\nArchitecture: amd64\n"
                  "Version: 1.0-%d\nDescription: filler package\n"
                  " padding to make the database big\n\n")
        body = "".join(stanza % (i, i) for i in range(size // 256)).encode()
        layers = []
        for i in range(8 if kind == "dpkgdup" else 1):
            layers.append(layer([("var", None), ("var/lib", None),
                                 ("var/lib/dpkg", None),
                                 ("var/lib/dpkg/status", body),
                                 ("step%d" % i, b"%d\n" % i)]))
    else:
        sys.exit("mkflood.py: unknown kind %r" % kind)
    image(out, layers)
    print(count)


if __name__ == "__main__":
    main()
