#!/usr/bin/env python3
"""tests/tools/mksmuggle.py OUTDIR - crafted images for every tar
smuggling form of issue 23 section 1 (Python 3 stdlib only).

For each case CASE it writes OUTDIR/CASE.tar (a docker-archive image:
manifest.json, config, one file per layer) and OUTDIR/CASE.layerN.tar
(each layer's uncompressed tar, or its raw blob when the case is about
the compression), so that tests can both scan the image and compare the
entry lists of the tars. Prints the case names, one per line.

Cases:
  oldsparse          old GNU sparse member ('S') whose map continues in an
                     extension block, with a decoy tar header as the last
                     512 bytes of its data; after it an escaping symlink, a
                     write through it, a hardlink to /etc/shadow through it
                     and an EICAR file
  paxsparse          GNU.sparse.* PAX keys that do not make a sparse file
                     (Go reads normal entries): on a symlink, a hardlink
                     and a regular EICAR file
  paxsparse10        a real PAX 1.0 sparse file (GNUSparseFile.0/ name)
                     whose expanded data are EICAR and a hole
  hardlink-escape    hostroot -> /../../.. and a hardlink to
                     hostroot/etc/shadow
  write-escape       hostroot -> /../../.. and a file written at hostroot/x
  whiteout-hardlink  EICAR and a hardlink to it; the next layer whites the
                     file out: the content stays visible under the link
  zstd-skippable     a zstd layer blob that is one skippable frame only
  gzip-empty         a gzip layer blob whose only member holds no data
"""
import gzip, hashlib, io, json, os, struct, sys

EICAR = (b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!"
         b"$H+H*")
MTIME = 1700000000


def octal(n, width):
    return (b"%0*o" % (width - 1, n)) + b"\0"


def header(name, typeflag, size=0, link=b"", gnu=False, mode=0o644,
           patch=None):
    """One 512-byte header. gnu: "ustar  \\0" magic (old GNU), else
    ustar. patch(b) may change fields before the checksum."""
    b = bytearray(512)
    b[0:len(name)] = name
    b[100:108] = octal(mode, 8)
    b[108:116] = octal(0, 8)
    b[116:124] = octal(0, 8)
    b[124:136] = octal(size, 12)
    b[136:148] = octal(MTIME, 12)
    b[156:157] = typeflag
    b[157:157 + len(link)] = link
    if gnu:
        b[257:265] = b"ustar  \0"
    else:
        b[257:263] = b"ustar\0"
        b[263:265] = b"00"
    b[265:269] = b"root"
    b[297:301] = b"root"
    if patch:
        patch(b)
    b[148:156] = b" " * 8
    b[148:156] = b"%06o\0 " % sum(b)
    return bytes(b)


def pad(data):
    return data + b"\0" * (-len(data) % 512)


def entry(name, typeflag=b"0", data=b"", link=b"", mode=0o644):
    return header(name, typeflag, len(data), link, mode=mode) + pad(data)


def pax(records, name=b"PaxHeaders/x"):
    body = b""
    for k, v in records:
        kv = b" %s=%s\n" % (k, v)
        n = len(kv) + 1
        while len(b"%d" % n) + len(kv) != n:
            n += 1
        body += b"%d" % n + kv
    return header(name, b"x", len(body)) + pad(body)


END = b"\0" * 1024


def escape_entries():
    """the payload the smuggling forms hide"""
    return (entry(b"hostroot", b"2", link=b"/../../..", mode=0o777) +
            entry(b"hostroot/x", b"0", b"written on the host\n") +
            entry(b"shadow", b"1", link=b"hostroot/etc/shadow") +
            entry(b"eicar.com", b"0", EICAR))


def oldsparse():
    tail = escape_entries()
    decoy = header(b"decoy", b"0", len(tail))
    frags = [(i * 4096, 512) for i in range(5)]
    realsize = 5 * 4096
    data = b"".join(bytes([0x41 + i]) * 512 for i in range(4)) + decoy

    def sp(b):
        for i, (off, n) in enumerate(frags[:4]):
            o = 386 + i * 24
            b[o:o + 12] = octal(off, 12)
            b[o + 12:o + 24] = octal(n, 12)
        b[482] = 1  # isextended
        b[483:495] = octal(realsize, 12)
    h = header(b"sparse.bin", b"S", len(data), gnu=True, patch=sp)
    ext = bytearray(512)
    off, n = frags[4]
    ext[0:12] = octal(off, 12)
    ext[12:24] = octal(n, 12)
    ext[504] = 0
    return [h + bytes(ext) + data + tail + END]


def paxsparse():
    t = pax([(b"GNU.sparse.size", b"7")])
    t += entry(b"lnk", b"2", link=b"/../../..", mode=0o777)
    t += pax([(b"GNU.sparse.realsize", b"10")])
    t += entry(b"hl", b"1", link=b"lnk/etc/shadow")
    t += pax([(b"GNU.sparse.numblocks", b"1")])
    t += entry(b"eicar2.com", b"0", EICAR)
    return [t + END]


def paxsparse10():
    # map "1\n0\n<len>\n" in the first block of the data, then the
    # fragment: EICAR at offset 0 of a 200-byte file (a hole after it)
    smap = pad(b"1\n0\n%d\n" % len(EICAR))
    data = smap + EICAR
    t = pax([(b"GNU.sparse.major", b"1"), (b"GNU.sparse.minor", b"0"),
             (b"GNU.sparse.name", b"sparse-eicar.com"),
             (b"GNU.sparse.realsize", b"200")])
    t += header(b"GNUSparseFile.0/sparse-eicar.com", b"0", len(data))
    t += pad(data)
    t += entry(b"after.txt", b"0", b"after the sparse file\n")
    return [t + END]


def hardlink_escape():
    return [entry(b"hostroot", b"2", link=b"/../../..", mode=0o777) +
            entry(b"shadow", b"1", link=b"hostroot/etc/shadow") + END]


def write_escape():
    return [entry(b"hostroot", b"2", link=b"/../../..", mode=0o777) +
            entry(b"hostroot/x", b"0", b"written on the host\n") + END]


def whiteout_hardlink():
    l0 = (entry(b"app/", b"5", mode=0o755) +
          entry(b"app/eicar.com", b"0", EICAR) +
          entry(b"app/keep", b"1", link=b"app/eicar.com") + END)
    l1 = entry(b"app/.wh.eicar.com", b"0") + END
    return [l0, l1]


def zstd_skippable():
    payload = EICAR + b"\0" * 16
    return [struct.pack("<II", 0x184D2A50, len(payload)) + payload]


def gzip_empty():
    return [gzip.compress(b"", mtime=0)]


CASES = {
    "oldsparse": (oldsparse, False),
    "paxsparse": (paxsparse, False),
    "paxsparse10": (paxsparse10, False),
    "hardlink-escape": (hardlink_escape, False),
    "write-escape": (write_escape, False),
    "whiteout-hardlink": (whiteout_hardlink, False),
    "zstd-skippable": (zstd_skippable, True),
    "gzip-empty": (gzip_empty, True),
}


def image(path, layers, empty_diff):
    diffs = ["sha256:" + hashlib.sha256(b"" if empty_diff else l).hexdigest()
             for l in layers]
    cfg = {"architecture": "amd64", "os": "linux",
           "config": {"Cmd": ["/bin/sh"]},
           "rootfs": {"type": "layers", "diff_ids": diffs},
           "history": [{"created": "2024-01-01T00:00:00Z",
                        "created_by": "layer %d" % i}
                       for i in range(len(layers))]}
    cdata = json.dumps(cfg).encode()
    cname = hashlib.sha256(cdata).hexdigest() + ".json"
    names = ["l%d/layer.tar" % i for i in range(len(layers))]
    manifest = json.dumps([{"Config": cname, "RepoTags": ["smuggle:t"],
                            "Layers": names}]).encode()
    out = b""
    for n, d in [(cname, cdata)] + list(zip(names, layers)) + \
            [("manifest.json", manifest)]:
        out += entry(n.encode(), b"0", d)
    with open(path, "wb") as f:
        f.write(out + END)


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name, (fn, compressed) in CASES.items():
        layers = fn()
        image(os.path.join(outdir, name + ".tar"), layers, compressed)
        for i, l in enumerate(layers):
            with open(os.path.join(outdir, "%s.layer%d.tar" % (name, i)),
                      "wb") as f:
                f.write(l)
        print(name)


if __name__ == "__main__":
    main()
