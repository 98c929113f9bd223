#!/usr/bin/env python3
"""Independent oracle for the dpkg licenses of an OCI layout directory.

usage: license_oracle.py OCI_DIR
Applies the layers in order (whiteouts included) for usr/share/doc/*, and
for every usr/share/doc/PKG/copyright that is a machine-readable
(copyright-format 1.0) file prints one JSON object {PKG: "A AND B ..."}:
the distinct License: first lines of its header and Files paragraphs, in
order, a name with a blank in parentheses. A doc directory that is a
symlink (or a copyright file that is one) is followed, up to 5 links. Standard library only."""
import gzip, io, json, os, re, sys, tarfile

oci = sys.argv[1]


def blob(d):
    return os.path.join(oci, "blobs", *d.split(":", 1))


idx = json.load(open(os.path.join(oci, "index.json")))
man = json.load(open(blob(idx["manifests"][0]["digest"])))
while "manifests" in man:
    man = json.load(open(blob(man["manifests"][0]["digest"])))
files, links = {}, {}
for layer in man["layers"]:
    raw = open(blob(layer["digest"]), "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    with tarfile.open(fileobj=io.BytesIO(raw)) as tf:
        for m in tf:
            name = os.path.normpath(m.name.lstrip("./")).lstrip("/")
            base, dirn = os.path.basename(name), os.path.dirname(name)
            if base == ".wh..wh..opq":
                for d in (files, links):
                    for k in [k for k in d if k.startswith(dirn + "/")]:
                        del d[k]
                continue
            if base.startswith(".wh."):
                gone = os.path.join(dirn, base[4:])
                for d in (files, links):
                    for k in [k for k in d if k == gone or k.startswith(gone + "/")]:
                        del d[k]
                continue
            if not name.startswith("usr/share/doc/"):
                continue
            parts = name.split("/")
            if len(parts) == 5 and parts[4] == "copyright" and m.isfile():
                files[name] = tf.extractfile(m).read()[:256 << 10]
            elif (len(parts) == 4 or (len(parts) == 5 and parts[4] == "copyright")) and m.issym():
                links[name] = m.linkname
                files.pop(name, None)
            elif name in files and not m.isfile():
                del files[name]


def dep5(data):
    text = data.decode("utf-8", "replace")
    first = text.lstrip("\r\n \t").split("\n", 1)[0].lower()
    if not (first.startswith("format:") or first.startswith("format-specification:")):
        return None
    if not any(k in first for k in ("copyright-format", "dep5", "dep-5")):
        return None
    names = []
    for i, para in enumerate(re.split(r"\n[ \t\r]*\n", text)):
        fields, lic = set(), None
        for line in para.split("\n"):
            if not line or line[0] in " \t#":
                continue
            k, _, v = line.partition(":")
            if not _:
                continue
            fields.add(k.lower())
            if k.lower() == "license":
                lic = v.strip(" \t\r")
        if (i == 0 or "files" in fields) and lic and lic not in names:
            names.append(lic)
    names = names[:64]
    out = " AND ".join("(%s)" % n if (" " in n or "\t" in n) else n for n in names)
    return out or None


res = {}
for path, data in files.items():
    v = dep5(data)
    if v and len(v) <= 4096:
        res[path.split("/")[3]] = v


def resolve(frm, target):
    base = "/" if target.startswith("/") else "/" + os.path.dirname(frm) + "/"
    return os.path.normpath(base + target).lstrip("/")


# doc directories and copyright files linked to other packages' (chains
# of up to 5 links, inside usr/share/doc)
pkgs = {p.split("/")[3] for p in links}
for pkg in pkgs:
    d = "usr/share/doc/" + pkg
    for _ in range(5):
        f = d + "/copyright"
        if f in files:
            if d.split("/")[3] in res:
                res.setdefault(pkg, res[d.split("/")[3]])
            break
        frm = f if f in links else d if d in links else None
        if not frm:
            break
        t = resolve(frm, links[frm])
        if frm == f:
            if not t.endswith("/copyright"):
                break
            t = t[: -len("/copyright")]
        if not t.startswith("usr/share/doc/") or "/" in t[len("usr/share/doc/"):] or t == "usr/share/doc/":
            break
        d = t
print(json.dumps(res))
