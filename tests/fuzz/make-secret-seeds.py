#!/usr/bin/env python3
"""Write the seed corpora of the secret fuzz targets (our own fake values).

usage: make-secret-seeds.py CORPUS_DIR"""
import json
import os
import sys

C = sys.argv[1]


def put(t, n, d):
    os.makedirs(os.path.join(C, t), exist_ok=True)
    with open(os.path.join(C, t, n), "wb") as f:
        f.write(d if isinstance(d, bytes) else d.encode())


# first byte picks the path the engine sees (see fuzz_secret_scan.c)
put("fuzz_secret_scan", "env", b"\x00DB_PASSWORD=Pr0d-Secret-2024!\n"
    b"GITHUB_TOKEN=ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\nAKIA0123456789ABCDEF\n")
put("fuzz_secret_scan", "pem", b"\x06-----BEGIN RSA PRIVATE KEY-----\n"
    b"MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
    b"-----END RSA PRIVATE KEY-----\n")
put("fuzz_secret_scan", "shadow", b"\x02root:$6$abcdefgh$0123456789abcdef0123456789abcdefABCDEF"
    b":19000:0:99999:7:::\ndaemon:*:19000::::::\n")
put("fuzz_secret_scan", "xml", b"\x03<settings><password>S3cr3tValue</password></settings>\n")
put("fuzz_secret_config", "full", json.dumps(
    {"rules": [{"id": "acme", "category": "c", "severity": "HIGH", "title": "t",
                "keywords": ["acme-"], "regex": "(ACME-[0-9a-f]{20})",
                "secret_group": 1, "min_entropy": 2.5}],
     "disable": ["github-pat"], "allow": {"values": ["^test"], "paths": ["^vendor/"]}}))
put("fuzz_secret_config", "bad", json.dumps(
    {"rules": [{"id": "x", "keywords": ["x"], "regex": "(unclosed"}]}))
