#!/usr/bin/env python3
"""Write the seed corpus of fuzz_lockfile: each fixture of
tests/data/lockfiles (its first 16 KiB) behind the byte that selects its
format (the order of dd__lock_fmt in src/lib/lang/lockfile.h), plus a few
paths behind byte 0. Files are named by the SHA-1 of their content.
usage: make-lockfile-seeds.py CORPUS_DIR"""
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "lockfiles")
FMT = ["package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock",
       "Pipfile.lock", "requirements.txt", "uv.lock", "go.mod", "Cargo.lock",
       "Gemfile.lock", "composer.lock", "packages.lock.json", "pom.xml",
       "gradle.lockfile"]
out = os.path.join(sys.argv[1], "fuzz_lockfile")
os.makedirs(out, exist_ok=True)
seeds = []
for d in sorted(os.listdir(DATA)):
    for f in sorted(os.listdir(os.path.join(DATA, d))):
        if f in FMT:
            body = open(os.path.join(DATA, d, f), "rb").read()[:16384]
            seeds.append(bytes([FMT.index(f) + 1]) + body)
seeds += [b"\0app/Cargo.lock", b"\0srv/requirements-dev.txt",
          b"\0a/node_modules/x/package-lock.json", b"\0go.sum"]
for s in seeds:
    with open(os.path.join(out, hashlib.sha1(s).hexdigest()), "wb") as fh:
        fh.write(s)
print(f"{len(seeds)} seeds in {out}")
