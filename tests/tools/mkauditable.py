#!/usr/bin/env python3
"""Make cargo-auditable-like executables without cargo: a copy of a real
ELF from this machine (/bin/true) with a ".dep-v0" section added by
binutils' objcopy, holding zlib-compressed JSON the way cargo-auditable
writes it ({"packages": [{"name", "version", "source", "kind",
"dependencies", "root"}]}).

usage: mkauditable.py OUT KIND [ELF]
KIND:
  good      four crates (one the root, one from a path, one a build
            dependency)
  badzlib   the section is not zlib data
  truncated the zlib stream is cut in half
  bomb      valid zlib inflating to 9 MiB (over the 8 MiB cap)
  badjson   zlib of text that is not JSON
  noversion a crate without a version
  empty     an empty .dep-v0 section
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib

GOOD = {"packages": [
    {"name": "demo-app", "version": "0.1.0", "source": "local",
     "kind": "runtime", "dependencies": [1, 2], "root": True},
    {"name": "serde", "version": "1.0.188", "source": "crates.io",
     "kind": "runtime", "dependencies": []},
    {"name": "smallvec", "version": "1.6.0", "source": "crates.io",
     "kind": "runtime", "dependencies": []},
    {"name": "cc", "version": "1.0.83", "source": "crates.io",
     "kind": "build", "dependencies": []},
]}


def payload(kind):
    if kind == "good":
        return zlib.compress(json.dumps(GOOD).encode())
    if kind == "badzlib":
        return b"this is not zlib data at all" * 4
    if kind == "truncated":
        z = zlib.compress(json.dumps(GOOD).encode())
        return z[: len(z) // 2]
    if kind == "bomb":
        return zlib.compress(b'{"packages": [], "pad": "' + b" " * (9 << 20) + b'"}', 9)
    if kind == "badjson":
        return zlib.compress(b"{not json")
    if kind == "noversion":
        return zlib.compress(json.dumps({"packages": [{"name": "x", "source": "crates.io"}]}).encode())
    if kind == "empty":
        return b""
    raise SystemExit("unknown kind " + kind)


def main():
    out, kind = sys.argv[1], sys.argv[2]
    elf = sys.argv[3] if len(sys.argv) > 3 else "/bin/true"
    with tempfile.TemporaryDirectory() as t:
        sec = os.path.join(t, "dep")
        with open(sec, "wb") as f:
            f.write(payload(kind))
        tmp = os.path.join(t, "bin")
        shutil.copyfile(elf, tmp)
        subprocess.run(["objcopy", "--add-section", ".dep-v0=" + sec,
                        "--set-section-flags", ".dep-v0=noload,readonly",
                        tmp, out], check=True)
    os.chmod(out, 0o755)


if __name__ == "__main__":
    main()
