#!/usr/bin/env python3
"""Write the seed corpora of the package-database fuzz targets.

usage: make-pkg-seeds.py CORPUS_DIR
Everything is generated here: dpkg and apk text, rpm header blobs made by
our own little writer (tag index + data, as rpm's headerExport lays them
out), an NDB file around them, an SQLite rpmdb, and Berkeley DB hash
files made with db5.3_load (skipped when db5.3-util is absent)."""
import os
import sqlite3
import struct
import subprocess
import sys
import tempfile

out = sys.argv[1]


def put(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- dpkg (first byte: 0 status, 1 status.d)
status = b"""Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: glibc (2.36-9+deb12u4)
Version: 2.36-9+deb12u4
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Description: GNU C Library: Shared libraries
 Contains the standard libraries.

Package: removed
Status: deinstall ok config-files
Version: 1.0-1

Package: epoch
Status: install ok unpacked
Version: 1:2.0~rc1-3
Architecture: all

Package: noversion

Package: bad
Version: 1:5.#
"""
put("fuzz_dpkg", "status", b"\x00" + status)
put("fuzz_dpkg", "status-d", b"\x01Package: base-files\nVersion: 12.4\nArchitecture: amd64\n")
put("fuzz_dpkg", "crlf", b"\x00" + status.replace(b"\n", b"\r\n"))

# ---- apk
put("fuzz_apk", "installed", b"""C:Q11otALzX1d1D0kVawy06IairTXS0=
P:musl
V:1.2.5-r0
A:x86_64
L:MIT
o:musl
m:Maintainer <m@example.org>
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
R:libc.musl-x86_64.so.1

P:noversion

C:Q2bm90IGJhc2U2NA==
P:busybox
V:1.36.1-r29
A:x86_64
F:bin
R:busybox
""")

# ---- rpm headers
STRING, INT32, BIN, STRING_ARRAY = 6, 4, 7, 8


def header(name, version, release, epoch=None, files=()):
    entries = [(1000, STRING, name), (1001, STRING, version), (1002, STRING, release),
               (1022, STRING, "x86_64"), (1014, STRING, "MIT"),
               (1011, STRING, "drydock"), (1044, STRING, f"{name}-{version}-{release}.src.rpm"),
               (261, BIN, bytes(range(16)))]
    if epoch is not None:
        entries.append((1003, INT32, [epoch]))
    if files:
        dirs = sorted({f.rsplit("/", 1)[0] + "/" for f in files})
        entries += [(1117, STRING_ARRAY, [f.rsplit("/", 1)[1] for f in files]),
                    (1118, STRING_ARRAY, dirs),
                    (1116, INT32, [dirs.index(f.rsplit("/", 1)[0] + "/") for f in files])]
    index, data = b"", b""
    for tag, typ, val in sorted(entries):
        if typ == INT32:
            data += b"\0" * (-len(data) % 4)
            off, count, blob = len(data), len(val), b"".join(struct.pack(">I", v) for v in val)
        elif typ == STRING:
            off, count, blob = len(data), 1, val.encode() + b"\0"
        elif typ == STRING_ARRAY:
            off, count, blob = len(data), len(val), b"".join(v.encode() + b"\0" for v in val)
        else:
            off, count, blob = len(data), len(val), val
        data += blob
        index += struct.pack(">IIII", tag, typ, off, count)
    return struct.pack(">II", len(entries), len(data)) + index + data


h1 = header("bash", "5.2.15", "3.fc40", files=["/usr/bin/bash", "/etc/skel/.bashrc"])
h2 = header("openssl-libs", "3.1.1", "4.fc40", epoch=1, files=["/usr/lib64/libssl.so.3"])
put("fuzz_rpm_header", "bash", h1)
put("fuzz_rpm_header", "openssl-epoch", h2)
put("fuzz_rpm_header", "truncated", h1[: len(h1) // 2])

# ---- NDB: header, slot pages, blobs of 16-byte blocks
def ndb(blobs):
    slots = b""
    body = b""
    blk = 4096 // 16  # blobs start after one slot page
    for i, b in enumerate(blobs, 1):
        n = (16 + len(b) + 12 + 15) // 16
        slots += struct.pack("<4I", 0x746F6C53, i, blk, n)
        blob = struct.pack("<4I", 0x53626C42, i, 1, len(b)) + b
        blob += b"\0" * (n * 16 - 12 - len(blob))
        blob += struct.pack("<3I", 0, len(b), 0x45626C42)
        body += blob
        blk += n
    head = struct.pack("<5I", 0x506D7052, 0, 1, 1, len(blobs) + 1) + b"\0" * 12
    page = head + slots
    page += struct.pack("<4I", 0x746F6C53, 0, 0, 0) * ((4096 - len(page)) // 16)
    return page + body


put("fuzz_rpmdb_ndb", "two", ndb([h1, h2]))

# ---- SQLite
with tempfile.TemporaryDirectory() as t:
    p = os.path.join(t, "rpmdb.sqlite")
    c = sqlite3.connect(p)
    c.execute("PRAGMA page_size=1024")
    c.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)")
    c.executemany("INSERT INTO Packages (blob) VALUES (?)", [(h1,), (h2,)])
    c.commit()
    c.close()
    put("fuzz_rpmdb_sqlite", "two", open(p, "rb").read())

    # ---- Berkeley DB via db5.3_load
    esc = lambda b: "".join("\\%02x" % x for x in b)
    load = os.path.join(t, "load.txt")
    with open(load, "w") as f:
        f.write("VERSION=3\nformat=print\ntype=hash\nHEADER=END\n")
        for i, h in enumerate([h1, h2], 1):
            f.write(" " + esc(struct.pack("<I", i)) + "\n " + esc(h) + "\n")
        f.write("DATA=END\n")
    for order in ("1234", "4321"):
        dbf = os.path.join(t, "Packages" + order)
        try:
            subprocess.run(["db5.3_load", "-c", "db_pagesize=512", "-c",
                            "db_lorder=" + order, "-f", load, dbf], check=True)
            put("fuzz_rpmdb_bdb", "two-" + order, open(dbf, "rb").read())
        except (OSError, subprocess.CalledProcessError):
            print("db5.3_load unavailable: no Berkeley DB seeds", file=sys.stderr)
