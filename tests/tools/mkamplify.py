#!/usr/bin/env python3
"""tests/tools/mkamplify.py FORM OUT [N] - images whose structure, not
their size, would make a scanner do huge work (issue 23, "Amplification").
Python 3 standard library only; everything is generated, nothing copied.

  repeat OUT [N=4096] [MIB=64]  OCI layout dir: N layers, all but one the
        same ~64 KB gzip blob that inflates to MIB MiB (a decompression
        bomb); layer 1 is a small other blob, so the repeats are both
        non-adjacent (layer 2) and adjacent (3..N-1)
  fanout OUT [K=1000] [LEAF=1]  OCI layout dir: index.json references
        index B K times, B references C K times, C references D K times, D
        names one small image (K^3 paths to the image); LEAF=0: D is an
        empty index (K^3 index reads and no image at all)
  layers OUT [N=10000]  docker-archive tar: a manifest of N distinct tiny
        gzip layers, the config lists their N diff_ids
  history OUT [N=700000]  OCI layout dir: one small layer, a config with N
        history entries (N-1 of them empty "{}" steps: about 3 bytes each)
  slow OUT [GIB=8]  OCI layout dir: one layer, a single file of GIB GiB of
        zeros (gzip about 1 MiB per GiB, needs --max-ratio); its diff_id is
        deliberately not computed (a scan with --timeout stops before it)
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import zlib

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_GZ = "application/vnd.oci.image.layer.v1.tar+gzip"


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def put_blob(out, data):
    d = sha(data)
    p = os.path.join(out, "blobs", "sha256")
    os.makedirs(p, exist_ok=True)
    with open(os.path.join(p, d[7:]), "wb") as f:
        f.write(data)
    return {"digest": d, "size": len(data)}


def small_tar(name, content):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        ti = tarfile.TarInfo(name)
        ti.size = len(content)
        ti.mtime = 0
        tf.addfile(ti, io.BytesIO(content))
    return buf.getvalue()


def gz(data):
    return gzip.compress(data, 9, mtime=0)


def tar_header(name, size):
    ti = tarfile.TarInfo(name)
    ti.size = size
    ti.mtime = 0
    return ti.tobuf(format=tarfile.GNU_FORMAT)


def zeros_layer(mib, with_diff_id=True):
    """gzip of a tar holding one file of `mib` MiB of zeros. Built from
    one compressed 1 MiB block repeated after full flushes (identical
    input after a full flush compresses to identical bytes), so even GiBs
    take a moment. Returns (blob, diff_id or None)."""
    head = tar_header("zeros", mib << 20)
    tail = bytes(1024)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = [c.compress(head), c.flush(zlib.Z_FULL_FLUSH)]
    mb = bytes(1 << 20)
    blk = c.compress(mb) + c.flush(zlib.Z_FULL_FLUSH)
    assert blk == c.compress(mb) + c.flush(zlib.Z_FULL_FLUSH)
    body.append(blk * mib)
    body.append(c.compress(tail) + c.flush())
    crc = zlib.crc32(head)
    h = hashlib.sha256(head) if with_diff_id else None
    for _ in range(mib):
        crc = zlib.crc32(mb, crc)
        if h:
            h.update(mb)
    crc = zlib.crc32(tail, crc)
    if h:
        h.update(tail)
    total = len(head) + (mib << 20) + len(tail)
    hdr = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = crc.to_bytes(4, "little") + (total & 0xFFFFFFFF).to_bytes(4, "little")
    blob = hdr + b"".join(body) + trailer
    return blob, ("sha256:" + h.hexdigest()) if h else None


def config(diff_ids, history=None):
    c = {"architecture": "amd64", "os": "linux",
         "config": {"Cmd": ["/bin/true"]},
         "rootfs": {"type": "layers", "diff_ids": diff_ids}}
    if history is not None:
        c["history"] = history
    return c


def oci_image(out, layers, cfg_bytes):
    """layers: list of (descriptor dict). Writes config + manifest blobs,
    returns the manifest descriptor."""
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    cd = put_blob(out, cfg_bytes)
    cd["mediaType"] = OCI_CONFIG
    man = {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": cd,
           "layers": layers}
    md = put_blob(out, json.dumps(man).encode())
    md["mediaType"] = OCI_MANIFEST
    md["platform"] = {"architecture": "amd64", "os": "linux"}
    return md


def write_index(out, manifests):
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "mediaType": OCI_INDEX,
                   "manifests": manifests}, f)


def layer_desc(out, data):
    d = put_blob(out, data)
    d["mediaType"] = OCI_LAYER_GZ
    return d


def form_repeat(out, n=4096, mib=64):
    bomb, bomb_id = zeros_layer(mib)
    small = small_tar("etc/marker", b"between\n")
    bd = layer_desc(out, bomb)
    sd = layer_desc(out, gz(small))
    layers = [bd, sd] + [bd] * (n - 2)
    ids = [bomb_id, sha(small)] + [bomb_id] * (n - 2)
    md = oci_image(out, layers, json.dumps(config(ids)).encode())
    md["annotations"] = {"org.opencontainers.image.ref.name": "repeat:1"}
    write_index(out, [md])


def form_fanout(out, k=1000, leaf=1):
    t = small_tar("etc/fanout", b"leaf\n")
    ld = layer_desc(out, gz(t))
    md = oci_image(out, [ld], json.dumps(config([sha(t)])).encode())
    child = md
    for _ in range(3):
        if child is md:
            ms = [md] if leaf else []
        else:
            ms = [child] * k
        idx = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": ms}
        child = put_blob(out, json.dumps(idx).encode())
        child["mediaType"] = OCI_INDEX
    top = dict(child)
    top["annotations"] = {"org.opencontainers.image.ref.name": "fan:1"}
    write_index(out, [top] * k)


def form_layers(out, n=10000):
    ids = []
    with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as tf:
        def add(name, data):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = 0
            tf.addfile(ti, io.BytesIO(data))
        paths = []
        for i in range(n):
            t = small_tar("l/%05d" % i, b"%d\n" % i)
            ids.append(sha(t))
            p = "%05d/layer.tar" % i
            add(p, gz(t))
            paths.append(p)
        cfg = json.dumps(config(ids)).encode()
        cname = sha(cfg)[7:] + ".json"
        add(cname, cfg)
        add("manifest.json", json.dumps([{"Config": cname,
                                          "RepoTags": ["layers:1"],
                                          "Layers": paths}]).encode())


def form_history(out, n=700000):
    t = small_tar("etc/history", b"one\n")
    ld = layer_desc(out, gz(t))
    cfg = config([sha(t)], history=[])
    text = json.dumps(cfg)
    steps = '{"created_by":"/bin/sh -c #(nop) ADD file"}' + ",{}" * (n - 1)
    text = text.replace('"history": []', '"history": [' + steps + "]")
    md = oci_image(out, [ld], text.encode())
    write_index(out, [md])


def form_slow(out, gib=8):
    blob, _ = zeros_layer(gib << 10, with_diff_id=False)
    ld = layer_desc(out, blob)
    bogus = "sha256:" + "0" * 64
    md = oci_image(out, [ld], json.dumps(config([bogus])).encode())
    write_index(out, [md])


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    form, out = sys.argv[1], sys.argv[2]
    args = [int(a) for a in sys.argv[3:]]
    forms = {"repeat": form_repeat, "fanout": form_fanout,
             "layers": form_layers, "history": form_history,
             "slow": form_slow}
    if form not in forms:
        sys.exit("unknown form %r (%s)" % (form, ", ".join(forms)))
    forms[form](out, *args)


if __name__ == "__main__":
    main()
