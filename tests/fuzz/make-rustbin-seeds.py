#!/usr/bin/env python3
"""Write the seed corpus of fuzz_rustbin: small ELF64 files with a
".dep-v0" section (the layout tests/unit/test_rustbin.c builds) holding
zlib-compressed cargo-auditable JSON, good and broken. Files are named by
the SHA-1 of their content.
usage: make-rustbin-seeds.py CORPUS_DIR"""
import hashlib
import json
import os
import struct
import sys
import zlib

GOOD = {"packages": [
    {"name": "app", "version": "0.1.0", "source": "local", "kind": "runtime",
     "dependencies": [1], "root": True},
    {"name": "serde", "version": "1.0.188", "source": "crates.io",
     "kind": "runtime", "dependencies": []}]}


def elf(sec):
    strtab = b"\0.dep-v0\0.shstrtab\0"
    data = 0x100
    st = data + len(sec)
    sh = (st + len(strtab) + 7) & ~7
    d = bytearray(sh + 3 * 64)
    d[0:7] = b"\x7fELF\x02\x01\x01"
    struct.pack_into("<HH", d, 16, 2, 62)
    struct.pack_into("<Q", d, 40, sh)
    struct.pack_into("<HHHHH", d, 52, 64, 0, 0, 64, 3)
    struct.pack_into("<H", d, 62, 2)
    d[data:data + len(sec)] = sec
    d[st:st + len(strtab)] = strtab
    struct.pack_into("<IIQQQQ", d, sh + 64, 1, 1, 0, 0, data, len(sec))
    struct.pack_into("<IIQQQQ", d, sh + 128, 9, 3, 0, 0, st, len(strtab))
    return bytes(d)


out = os.path.join(sys.argv[1], "fuzz_rustbin")
os.makedirs(out, exist_ok=True)
seeds = [elf(zlib.compress(json.dumps(GOOD).encode())),
         elf(zlib.compress(b"{not json")),
         elf(b"not zlib"),
         elf(zlib.compress(json.dumps(GOOD).encode())[:30]),
         elf(zlib.compress(b'{"packages":[{"name":"x"}]}')),
         elf(zlib.compress(b"[" + b" " * 70000 + b"]"))]
for s in seeds:
    with open(os.path.join(out, hashlib.sha1(s).hexdigest()), "wb") as fh:
        fh.write(s)
print(f"{len(seeds)} seeds in {out}")
