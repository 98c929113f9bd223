#!/usr/bin/env python3
"""Write the seed corpora of the feed-parser fuzz targets (our own small
records in each feed's shape; nothing copied from ../shared).

usage: make-feed-seeds.py CORPUS_DIR"""
import json
import os
import sys

C = sys.argv[1]


def put(target, name, data):
    os.makedirs(os.path.join(C, target), exist_ok=True)
    with open(os.path.join(C, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


rec = {"id": "DEBIAN-CVE-2023-0001", "modified": "2026-01-01T00:00:00Z",
       "upstream": ["CVE-2023-0001"], "summary": "seed",
       "severity": [{"type": "CVSS_V3",
                     "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
       "database_specific": {"severity": "MODERATE"},
       "affected": [
           {"package": {"ecosystem": "Debian:12", "name": "glibc"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
                                                         {"fixed": "2.36-9+deb12u3"}]}],
            "ecosystem_specific": {"urgency": "high"}},
           {"package": {"ecosystem": "npm", "name": "lodash"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "4.0.0"},
                                                     {"last_affected": "4.17.20"}]},
                       {"type": "GIT", "repo": "x", "events": [{"introduced": "abc"}]}],
            "versions": ["4.17.19"]},
           {"package": {"ecosystem": "Alpine:v3.20", "name": "openssl"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
                                                         {"limit": "*"}]}]}]}
put("fuzz_feed_osv", "seed1", json.dumps(rec))
put("fuzz_feed_osv", "seed2", '{"id":"X","affected":[{"package":{}}]}')

al = {"distroversion": "v3.20", "reponame": "main",
      "packages": [{"pkg": {"name": "openssl",
                            "secfixes": {"3.1.4-r1": ["CVE-2023-5678"],
                                         "0": ["CVE-2022-1 (not us)"]}}},
                   {"pkg": {"name": "x", "secfixes": None}}]}
put("fuzz_feed_alpine", "json", b"\x00" + json.dumps(al).encode())
put("fuzz_feed_alpine", "yaml", b"\x01---\ndistroversion: v3.11\nreponame: main\n"
    b"packages:\n  - pkg:\n      name: apache2\n      secfixes:\n"
    b"        2.4.43-r0:\n          - CVE-2020-1927\n          - CVE-2020-1934\n"
    b"        0:\n          - CVE-2007-0086\n  - pkg:\n      name: x\n")

tr = {"glibc": {"CVE-2023-4911": {"description": "d", "releases": {
    "bookworm": {"status": "resolved", "fixed_version": "2.36-9+deb12u3", "urgency": "high"},
    "bullseye": {"status": "open", "nodsa_reason": "postponed", "urgency": "medium"},
    "sid": {"status": "resolved", "fixed_version": "0"}}}}}
put("fuzz_feed_debian", "json", b"\x00" + json.dumps(tr).encode())
put("fuzz_feed_debian", "list",
    b"\x01[21 Apr 2023] DSA-5393-1 chromium - security update\n"
    b"\t{CVE-2023-2133 CVE-2023-2134}\n"
    b"\t[bullseye] - chromium 112.0.5615.138-1~deb11u1\n"
    b"\t[buster] - chromium <end-of-life>\n\tNOTE: x\n"
    b"[20 Apr 2023] DSA-5392-1 thunderbird - security update\n"
    b"\t[lenny] - tex-common <not-affected> (shell_escape disabled)\n\tgarbage\n")
