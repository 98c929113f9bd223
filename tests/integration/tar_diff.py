#!/usr/bin/env python3
"""tests/integration/tar_diff.py TAR_LIST FILE [SKIP] - compare the entry
list drydock's tar reader sees in FILE (tests/tools/tar_list) with the
one Python's tarfile sees, and GNU tar's where it is installed and both
accept the input (issue 23 section 1: what drydock skips, the runtime
extracts).

Prints one line and exits 0 when the lists agree, or when they differ and
drydock reported why (a MEDIUM or worse anomaly, or a non-zero reader
status); exits 1 with the first differing entry otherwise.

Normalised on both sides: regular-file type flags ('\\0', '0', '7', 'S')
are one type, directory names lose their trailing '/', names and link
targets compare as bytes."""
import io
import subprocess
import sys
import tarfile

REG = {"0", "\0", "7", "S"}


def norm(name, typ, size, link):
    t = "0" if typ in REG else typ
    if t == "5":
        name = name.rstrip(b"/")
    return (name, t, size if t == "0" else 0, link if t in ("1", "2") else b"")


def ours(tool, path, skip):
    args = [tool] + (["--skip", str(skip)] if skip else []) + [path]
    out = subprocess.run(args, capture_output=True, timeout=120).stdout
    ents, anomalies, status = [], [], (0, 0)
    for line in out.decode().splitlines():
        f = line.split(" ")
        if f[0] == "E":
            name = bytes.fromhex(f[5]) if f[5] != "-" else b""
            link = bytes.fromhex(f[6]) if f[6] != "-" else b""
            ents.append(norm(name, chr(int(f[2], 16)), int(f[3]), link))
        elif f[0] == "A":
            anomalies.append((f[2], f[3]))
        elif f[0] == "R":
            status = (int(f[1]), int(f[2]))
    return ents, anomalies, status


def theirs(data):
    ents = []
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tf:
            for m in tf:
                name = m.name.encode("utf-8", "surrogateescape")
                link = m.linkname.encode("utf-8", "surrogateescape")
                ents.append(norm(name, m.type.decode("latin-1"), m.size, link))
    except (tarfile.TarError, EOFError, OSError, ValueError) as e:
        return ents, str(e) or type(e).__name__
    return ents, None


def gnu(data):
    try:
        p = subprocess.run(["tar", "-t", "--quoting-style=literal", "-f", "-"],
                           input=data, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if p.returncode != 0:
        return None
    return [n.rstrip(b"/") for n in p.stdout.split(b"\n") if n]


def main():
    tool, path = sys.argv[1], sys.argv[2]
    skip = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    data = open(path, "rb").read()[skip:]
    a, anomalies, status = ours(tool, path, skip)
    b, perr = theirs(data)
    explained = any(s in ("MEDIUM", "HIGH", "CRITICAL") for s, _ in anomalies) \
        or status != (0, 0)
    why = ",".join(sorted(set(r for s, r in anomalies
                             if s in ("MEDIUM", "HIGH", "CRITICAL")))) \
        or "status %d/%d" % status
    if a == b:
        g = None if perr else gnu(data)
        if g is not None and not perr and g != [e[0] for e in a]:
            if not explained:
                print("GNU tar lists %d entries, drydock %d, nothing reported"
                      % (len(g), len(a)))
                return 1
            print("same as tarfile; GNU tar differs, reported: %s" % why)
            return 0
        print("same %d entries%s" % (len(a), " (GNU tar too)" if g else ""))
        return 0
    if explained:
        print("differs (drydock %d, tarfile %d%s), reported: %s"
              % (len(a), len(b), "; tarfile: " + perr if perr else "", why))
        return 0
    if perr and not a:
        print("both refuse it (tarfile: %s)" % perr)
        return 0
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else None
        y = b[i] if i < len(b) else None
        if x != y:
            print("entry %d: drydock %r, tarfile %r; nothing reported" % (i, x, y))
            return 1
    return 1


if __name__ == "__main__":
    sys.exit(main())
