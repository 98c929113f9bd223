#!/usr/bin/env python3
"""tests/tools/mkhostile_names.py OUT.tar - a docker-archive image whose
file names, tag, User, Workdir, Cmd, Env, Labels, ExposedPorts and history
hold every control byte 0x01-0x1f, DEL, C1 (as code points and raw bytes),
bidi overrides and isolates, and invalid UTF-8; plus an EICAR file and an
AWS key under such names. Prints the raw names (hex) of the hostile files,
one per line, so a test can check they survive in JSON."""
import hashlib, io, json, sys, tarfile

EICAR = (b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!"
         b"$H+H*")
AWS = b"aws_access_key_id = AKIAZ7Q3LMNOPQRSTUV4\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYzz\n"
C0 = bytes(range(1, 0x20)) + b"\x7f"
C1 = "".join(chr(c) for c in range(0x80, 0xa0))
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
HOSTILE = C0.decode() + C1 + BIDI  # valid UTF-8 text, every control


def names():
    out = []
    for c in C0:
        if c == 0x2f:
            continue
        out.append(b"app/ctl-%02x-" % c + bytes([c]) + b"x")
    out.append(b"app/c1-" + C1.encode())
    out.append(b"app/raw-c1-" + bytes(range(0x80, 0xa0)))
    out.append(b"app/bidi-" + BIDI.encode() + b"txt.exe")
    out.append(b"app/bad-utf8-\xff\xfe\xc0\xaf\xed\xa0\x80")
    out.append(b"app/\x1b]0;pwned\x07\x1b[2J0 findings, image is clean\n")
    return out


def main():
    out = sys.argv[1]
    layer = io.BytesIO()
    hostile = []
    with tarfile.open(fileobj=layer, mode="w", format=tarfile.GNU_FORMAT,
                      encoding="utf-8", errors="surrogateescape") as tf:
        def add(name, data, ltype=tarfile.REGTYPE, link=None):
            ti = tarfile.TarInfo(name.decode("utf-8", "surrogateescape"))
            ti.type = ltype
            ti.mode = 0o755 if ltype == tarfile.DIRTYPE else 0o644
            if link is not None:
                ti.linkname = link.decode("utf-8", "surrogateescape")
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data) if data else None)
        add(b"app", b"", tarfile.DIRTYPE)
        for n in names():
            add(n, b"hello\n")
        e = b"app/eicar-\xff\x1b[31m\xe2\x80\xae.com"
        a = b"app/aws-\x9b\x80\xc2\x85\x1b]2;t\x07.env"
        add(e, EICAR)
        add(a, AWS)
        add(b"app/link-\x1b[2J", b"", tarfile.SYMTYPE, b"target-\x1b[5m\xff")
        hostile = [e, a]
    ldata = layer.getvalue()
    diff = "sha256:" + hashlib.sha256(ldata).hexdigest()
    cfg = {
        "architecture": "amd64", "os": "linux",
        "config": {
            "User": "root" + HOSTILE,
            "WorkingDir": "/w" + HOSTILE,
            "Cmd": ["sh", "-c", "echo " + HOSTILE],
            "Entrypoint": ["/bin/" + BIDI + "sh"],
            "Env": ["PATH=/bin", "X=" + HOSTILE],
            "Labels": {"k" + HOSTILE: "v" + HOSTILE},
            "ExposedPorts": {"80" + HOSTILE + "/tcp": {}},
        },
        "rootfs": {"type": "layers", "diff_ids": [diff]},
        "history": [{"created": "2024-01-01T00:00:00Z",
                     "created_by": "/bin/sh -c #(nop) " + HOSTILE}],
    }
    cdata = json.dumps(cfg).encode()
    cname = hashlib.sha256(cdata).hexdigest() + ".json"
    manifest = [{"Config": cname,
                 "RepoTags": ["hostile:t" + "\u202e\u2066x"],
                 "Layers": ["layer.tar"]}]
    with tarfile.open(out, "w") as img:
        for n, d in ((cname, cdata), ("layer.tar", ldata),
                     ("manifest.json", json.dumps(manifest).encode())):
            ti = tarfile.TarInfo(n)
            ti.size = len(d)
            img.addfile(ti, io.BytesIO(d))
    for h in hostile:
        print(h.hex())


if __name__ == "__main__":
    main()
