#!/usr/bin/env python3
"""fslist.py DOCKER_ARCHIVE - reference file list of an image, independent of
drydock: each layer listed by GNU `tar -t`, whiteouts applied in layer order
(OCI rules: a layer's whiteouts hide lower layers only). Prints sorted paths."""
import json, subprocess, sys, tarfile

arch = tarfile.open(sys.argv[1])
man = json.load(arch.extractfile("manifest.json"))[0]
fs = set()
def norm(p):
    parts = [c for c in p.split("/") if c not in ("", ".")]
    return "/".join(parts)
def remove_tree(p):
    for x in [x for x in fs if x == p or x.startswith(p + "/")]:
        fs.discard(x)
for layer in man["Layers"]:
    data = arch.extractfile(layer).read()
    names = subprocess.run(["tar", "--quoting-style=literal", "-tf", "-"], input=data,
                           capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape").splitlines()
    adds = []
    for n in names:
        p = norm(n)
        base = p.rsplit("/", 1)[-1]
        d = p.rsplit("/", 1)[0] if "/" in p else ""
        if base == ".wh..wh..opq":
            for x in [x for x in fs if x.startswith(d + "/") if d] if d else list(fs):
                fs.discard(x)
        elif base.startswith(".wh..wh."):
            pass
        elif base.startswith(".wh."):
            remove_tree((d + "/" if d else "") + base[4:])
        elif p:
            adds.append(p)
    for p in adds:
        parts = p.split("/")
        for i in range(1, len(parts)):
            fs.add("/".join(parts[:i]))
        fs.add(p)
for p in sorted(fs):
    print(p)
