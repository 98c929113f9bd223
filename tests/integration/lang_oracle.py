#!/usr/bin/env python3
"""tests/integration/lang_oracle.py - independent oracle for the lang
tests: lists the npm packages of an image (docker-archive tar) straight
from its layers, and evaluates OSV npm records against them with its own
SemVer 2.0 order (no drydock code involved).

  lang_oracle.py packages IMAGE.tar        -> "path\tname\tversion" lines
  lang_oracle.py match IMAGE.tar OSV_DIR   -> "id\tpath\tinstalled\tfixed"
  lang_oracle.py pydists IMAGE.tar|DIR      -> "path\tname\tversion" of the
      Python distributions importlib.metadata finds in the image's (or the
      directory's) trees that hold *.dist-info / *.egg-info entries
"""
import json
import os
import re
import sys
import tarfile


def layers(path):
    """(index, TarFile) of each layer of a docker-archive, in order."""
    outer = tarfile.open(path)
    manifest = json.load(outer.extractfile("manifest.json"))
    for i, name in enumerate(manifest[0]["Layers"]):
        yield i, tarfile.open(fileobj=outer.extractfile(name))


def manifest_path(p):
    """True for .../node_modules/NAME/package.json (or @scope/NAME)."""
    parts = p.split("/")
    if len(parts) < 3 or parts[-1] != "package.json":
        return False
    d = parts[:-1]
    if len(d) >= 3 and d[-2].startswith("@") and d[-3] == "node_modules":
        return not d[-1].startswith(".")
    return len(d) >= 2 and d[-2] == "node_modules" and not d[-1].startswith(".")


def npm_packages(image):
    files = {}
    for _, t in layers(image):
        for m in t.getmembers():
            name = m.name.lstrip("./")
            base = os.path.basename(name)
            if base.startswith(".wh."):
                d = os.path.dirname(name)
                tgt = os.path.join(d, base[4:])
                for k in list(files):
                    if k == tgt or k.startswith(tgt + "/"):
                        del files[k]
                continue
            if m.isfile() and manifest_path(name):
                files[name] = t.extractfile(m).read()
    out = []
    for p, data in sorted(files.items()):
        try:
            j = json.loads(data)
        except ValueError:
            continue
        if isinstance(j.get("name"), str) and isinstance(j.get("version"), str):
            out.append((p, j["name"], j["version"]))
    return out


SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$")


def key(v):
    m = SEMVER.match(v)
    if not m:
        raise ValueError(v)
    pre = m.group(4)
    pk = []
    if pre:
        for x in pre.split("."):
            pk.append((0, int(x), "") if x.isdigit() else (1, 0, x))
    # a release sorts after all its pre-releases
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)),
            0 if pre else 1, tuple(pk))


def affected(ver, rng):
    """(hit, fixed) for one SEMVER range of OSV events."""
    events = rng.get("events", [])
    hit, fixed = False, None
    intro = None
    for e in events:
        if "introduced" in e:
            intro = e["introduced"]
        elif "fixed" in e or "last_affected" in e:
            lo = intro in (None, "0") or key(ver) >= key(intro)
            if "fixed" in e:
                if lo and key(ver) < key(e["fixed"]):
                    return True, e["fixed"]
            elif lo and key(ver) <= key(e["last_affected"]):
                return True, None
            intro = None
    if intro is not None and (intro == "0" or key(ver) >= key(intro)):
        hit = True
    return hit, fixed


def match(image, osv_dir):
    pk = npm_packages(image)
    res = set()
    for f in sorted(os.listdir(osv_dir)):
        if not f.endswith(".json"):
            continue
        rec = json.load(open(os.path.join(osv_dir, f)))
        for a in rec.get("affected", []):
            pkg = a.get("package", {})
            if pkg.get("ecosystem") != "npm":
                continue
            for path, name, ver in pk:
                if name != pkg.get("name"):
                    continue
                hit, fixed = ver in a.get("versions", []), None
                for r in a.get("ranges", []):
                    if r.get("type") != "SEMVER":
                        continue
                    h, fx = affected(ver, r)
                    if h:
                        hit = True
                        fixed = fixed or fx
                if hit:
                    res.add((rec["id"], path, ver, fixed or ""))
    for r in sorted(res):
        print("\t".join(r))


def py_meta(name):
    parts = name.split("/")
    return any(p.endswith((".dist-info", ".egg-info")) or p == "EGG-INFO"
               for p in parts)


def extract_py(image, dest):
    """Final-filesystem copy of the image's Python metadata entries."""
    import shutil
    for _, t in layers(image):
        for m in t.getmembers():
            name = m.name.lstrip("./")
            base = os.path.basename(name)
            if base.startswith(".wh."):
                tgt = os.path.join(dest, os.path.dirname(name), base[4:])
                if os.path.isdir(tgt):
                    shutil.rmtree(tgt)
                elif os.path.lexists(tgt):
                    os.unlink(tgt)
                continue
            if (m.isfile() or m.isdir()) and py_meta(name):
                out = os.path.join(dest, name)
                if m.isdir():
                    os.makedirs(out, exist_ok=True)
                else:
                    os.makedirs(os.path.dirname(out), exist_ok=True)
                    with open(out, "wb") as f:
                        f.write(t.extractfile(m).read())


def pydists(root):
    import importlib.metadata as md
    dirs = set()
    for d, subdirs, files in os.walk(root):
        for e in subdirs + files:
            if e.endswith((".dist-info", ".egg-info")):
                dirs.add(d)
            if e == "EGG-INFO":  # an .egg directory is its own path entry
                dirs.add(d)
    out = set()
    for d in sorted(dirs):
        for dist in md.distributions(path=[d]):
            p = str(dist._path)
            if p.endswith(".dist-info"):
                p += "/METADATA"
            elif os.path.isdir(p):
                p += "/PKG-INFO"
            name, ver = dist.metadata["Name"], dist.version
            if name and ver:
                out.add((os.path.relpath(p, root), name, ver))
    for r in sorted(out):
        print("\t".join(r))


if __name__ == "__main__":
    if sys.argv[1] == "pydists":
        src = sys.argv[2]
        if os.path.isdir(src):
            pydists(src)
        else:
            import tempfile
            with tempfile.TemporaryDirectory() as d:
                extract_py(src, d)
                pydists(d)
    elif sys.argv[1] == "packages":
        for p in npm_packages(sys.argv[2]):
            print("\t".join(p))
    else:
        match(sys.argv[2], sys.argv[3])
