#!/usr/bin/env python3
"""mkmalimg.py DIR - layer tars for the malware heuristics test image.

Layer 0: a dpkg file list owning /usr/bin/foo and /usr/bin/packed;
         usr/bin/foo (ELF, owned), usr/bin/bar (ELF, no owner),
         usr/bin/packed (ELF with the UPX! marker, owned),
         usr/local/bin/helper (setuid root, no owner),
         opt/app/eicar.txt (EICAR, deleted by layer 1), opt/bad.bin (listed
         in the test's hash list), var/www/html/s.php (webshell),
         etc/ld.so.preload, opt/big.txt (4 KiB, for --malware-max-size)
Layer 1: whiteout of opt/app/eicar.txt
Nothing here is executable code: the "ELF" files are a header and zeros."""
import io
import os
import sys
import tarfile

D = sys.argv[1]
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 249


def add(tf, name, data, mode=0o644, uid=0):
    ti = tarfile.TarInfo(name)
    if data is None:
        ti.type, ti.mode = tarfile.DIRTYPE, 0o755
        tf.addfile(ti)
        return
    ti.size, ti.mode, ti.uid, ti.mtime = len(data), mode, uid, 1717200000
    tf.addfile(ti, io.BytesIO(data))


with tarfile.open(os.path.join(D, "l0.tar"), "w", format=tarfile.PAX_FORMAT) as tf:
    for d in ["var", "var/lib", "var/lib/dpkg", "var/lib/dpkg/info", "usr", "usr/bin",
              "usr/local", "usr/local/bin", "opt", "opt/app", "var/www", "var/www/html", "etc"]:
        add(tf, d, None)
    add(tf, "var/lib/dpkg/info/foo:amd64.list", b"/.\n/usr\n/usr/bin\n/usr/bin/foo\n/usr/bin/packed\n")
    add(tf, "usr/bin/foo", ELF, 0o755)
    add(tf, "usr/bin/bar", ELF, 0o755)
    add(tf, "usr/bin/packed", ELF[:64] + b"UPX!" + ELF[68:], 0o755)
    add(tf, "usr/local/bin/helper", b"#!/bin/sh\nid\n", 0o4755)
    add(tf, "opt/app/eicar.txt", EICAR)
    add(tf, "opt/bad.bin", b"known bad content for the hash list test\n")
    add(tf, "var/www/html/s.php", b"<?php @eval(base64_decode($_POST['z'])); ?>\n")
    add(tf, "etc/ld.so.preload", b"/usr/lib/libsystemd-helper.so\n")
    add(tf, "opt/big.txt", b"a" * 4096)

with tarfile.open(os.path.join(D, "l1.tar"), "w", format=tarfile.PAX_FORMAT) as tf:
    add(tf, "opt", None)
    add(tf, "opt/app", None)
    add(tf, "opt/app/.wh.eicar.txt", b"")
print("layers written")
