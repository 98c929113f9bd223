#!/usr/bin/env python3
"""Write the seed corpus of fuzz_sbom_input: each document of
tests/data/sbom_input (its first 16 KiB) behind byte 0 (a document), and
a few package URLs behind byte 1. Files are named by the SHA-1 of their
content.
usage: make-sbom-seeds.py CORPUS_DIR"""
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "sbom_input")
out = os.path.join(sys.argv[1], "fuzz_sbom_input")
os.makedirs(out, exist_ok=True)
seeds = []
for f in sorted(os.listdir(DATA)):
    if f.endswith(".json"):
        seeds.append(b"\0" + open(os.path.join(DATA, f), "rb").read()[:16384])
for u in ["pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12",
          "pkg:npm/%40angular/core@16.2.0#sub/path",
          "pkg:maven/org.example/a@1.0?type=jar&classifier=sources",
          "pkg:golang/github.com/x/y@v1.0.0", "pkg:rpm/redhat/b@1-2?epoch=1",
          "pkg:npm/bad%zz@1"]:
    seeds.append(b"\1" + u.encode())
for s in seeds:
    with open(os.path.join(out, hashlib.sha1(s).hexdigest()), "wb") as fh:
        fh.write(s)
print(f"{len(seeds)} seeds in {out}")
