#!/usr/bin/env python3
"""Write the seed corpora of fuzz_lang_npm (first byte: 0 package.json,
1 package-lock.json, 2 a path) and fuzz_lang_python (first byte: 0 whole
file, 1 truncated).  usage: make-lang-seeds.py CORPUS_DIR"""
import hashlib
import os
import sys

out = os.path.join(sys.argv[1], "fuzz_lang_npm")
os.makedirs(out, exist_ok=True)
seeds = [
    b'\0{"name":"lodash","version":"4.17.15","license":"MIT"}',
    b'\0{"name":"@types/node","version":"20.1.0","license":{"type":"MIT"}}',
    b'\0{"name":"x","version":"1.0.0","licenses":[{"type":"BSD"}]}',
    b'\0{"name":"x"}',
    b'\0{"name":"a\\u0000b","version":"1"}',
    b'\0[1,2,3]',
    b'\0{"name":"x","version":"1.0.0"',
    b'\1{"lockfileVersion":3,"packages":{"":{},"node_modules/a":{"dev":true},'
    b'"node_modules/a/node_modules/b":{"devOptional":true}}}',
    b'\1{"lockfileVersion":1,"dependencies":{"a":{"version":"1","dev":true,'
    b'"dependencies":{"b":{"version":"2"}}}}}',
    b'\1{"lockfileVersion":2}',
    b'\1' + b'{"dependencies":' + b'{"x":{"dependencies":' * 80 + b'{}' +
    b'}}' * 80 + b'}',
    b'\2app/node_modules/@scope/name/package.json',
    b'\2node_modules/a/node_modules/b/package.json',
    b'\2app/node_modules/a/lib/package.json',
    b'\2node_modules/.bin/package.json',
    b'\2/node_modules/@/package.json',
]
for s in seeds:
    with open(os.path.join(out, hashlib.sha1(s).hexdigest()), "wb") as f:
        f.write(s)

py = os.path.join(sys.argv[1], "fuzz_lang_python")
os.makedirs(py, exist_ok=True)
pseeds = [
    b"\0Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n"
    b"License: Apache 2.0\n  continued\n\nlong description\n",
    b"\0Name: x\r\nVersion: 1\r\nLicense-Expression: MIT\r\n\r\n",
    b"\1Name: x\nVersion: 1\nSumm",
    b"\1\xef\xbb\xbfName: x\nVersion: 1\n\n",
    b"\0Version: 1\n",
    b"\0Name x\n",
    b"\0x/pip-23.0.1.dist-info/METADATA",
    b"\0x/a.egg/EGG-INFO/PKG-INFO",
]
for s in pseeds:
    with open(os.path.join(py, hashlib.sha1(s).hexdigest()), "wb") as f:
        f.write(s)
