#!/usr/bin/env python3
"""Write the seed corpus of fuzz_zipdir (first byte 0: a Java archive for
dd__java_archive, 1: a zip for the raw reader): jars with pom.properties
and a manifest, a WAR with a stored and a deflated jar, ZIP64 records,
prepended bytes, an empty zip.
usage: make-zip-seeds.py CORPUS_DIR"""
import hashlib
import io
import os
import sys
import zipfile


def jar(g, a, v, comp=zipfile.ZIP_DEFLATED, z64=False):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", comp) as z:
        z.writestr("META-INF/MANIFEST.MF",
                   "Manifest-Version: 1.0\r\nImplementation-Title: %s\r\n"
                   "Implementation-Version: %s\r\n\r\n" % (a, v))
        with z.open("META-INF/maven/%s/%s/pom.properties" % (g, a), "w",
                    force_zip64=z64) as f:
            f.write(("groupId=%s\nartifactId=%s\nversion=%s\n" % (g, a, v)).encode())
        z.writestr("org/x/A.class", b"\xca\xfe\xba\xbe" + b"\0" * 40)
    return b.getvalue()


def war():
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("WEB-INF/web.xml", "<web-app/>")
        z.writestr(zipfile.ZipInfo("WEB-INF/lib/a-1.0.jar"), jar("g", "a", "1.0"),
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("WEB-INF/lib/b-2.0.jar", jar("h", "b", "2.0"))
    return b.getvalue()


def manifest_only():
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/MANIFEST.MF",
                   "Manifest-Version: 1.0\r\nBundle-SymbolicName: org.x.lo\r\n"
                   " ng-name;singleton:=true\r\nBundle-Version: 3.1\r\n\r\n")
    return b.getvalue()


empty = io.BytesIO()
zipfile.ZipFile(empty, "w").close()
seeds = [jar("org.apache.commons", "commons-lang3", "3.12.0"),
         jar("g", "s", "1", zipfile.ZIP_STORED), jar("g", "z", "1", z64=True),
         war(), manifest_only(), b"#!/bin/sh\nexit 0\n" + jar("p", "q", "1"),
         empty.getvalue()]
out = os.path.join(sys.argv[1], "fuzz_zipdir")
os.makedirs(out, exist_ok=True)
for s in seeds:
    for sel in (b"\0", b"\1"):
        d = sel + s
        with open(os.path.join(out, hashlib.sha1(d).hexdigest()), "wb") as f:
            f.write(d)
