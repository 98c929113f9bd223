#!/usr/bin/env python3
"""Synthetic inputs for bench/vulndb.sh.

usage: gen_vulndb.py OUT_DIR N_ADVISORIES N_PACKAGES HIT_RATE
Writes OUT_DIR/osv-synthetic.zip (N_ADVISORIES OSV records in the shape of
osv.dev's Debian export: Debian:12 ECOSYSTEM ranges, CVSS vectors, aliases,
spread over 20,000 source packages, every 7th also naming Debian 11) and
OUT_DIR/rootfs/ with an os-release and a dpkg status of N_PACKAGES
installed packages at version 1.10-3. HIT_RATE of the advisories have
their fix above the installed version (the rest are fixed already, as in
a maintained image); 1 in 20 has no fix at all."""
import json
import os
import random
import sys
import zipfile

out, n_adv, n_pkg = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
hit = float(sys.argv[4])
rnd = random.Random(42)
os.makedirs(out, exist_ok=True)
names = [f"pkg{i:05d}" for i in range(20000)]
with zipfile.ZipFile(os.path.join(out, "osv-synthetic.zip"), "w",
                     zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    for i in range(n_adv):
        name = names[i % len(names)]
        minor = rnd.randint(11, 20) if rnd.random() < hit else rnd.randint(0, 9)
        fix = f"1.{minor}-{rnd.randint(1, 5)}+deb12u{rnd.randint(1, 9)}"
        events = [{"introduced": "0"}]
        if i % 20:
            events.append({"fixed": fix})
        aff = [{"package": {"ecosystem": "Debian:12", "name": name,
                            "purl": f"pkg:deb/debian/{name}?arch=source"},
                "ranges": [{"type": "ECOSYSTEM", "events": events}],
                "ecosystem_specific": {"urgency": "not yet assigned"}}]
        if i % 7 == 0:
            aff.append({"package": {"ecosystem": "Debian:11", "name": name},
                        "ranges": [{"type": "ECOSYSTEM",
                                    "events": [{"introduced": "0"}]}]})
        rec = {"schema_version": "1.6.0", "id": f"DEBIAN-CVE-2099-{i:07d}",
               "modified": "2026-11-01T00:00:00Z", "published": "2026-01-01T00:00:00Z",
               "upstream": [f"CVE-2099-{i:07d}"],
               "details": "Synthetic advisory for the matcher benchmark. " * 3,
               "severity": [{"type": "CVSS_V3",
                             "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
               "affected": aff}
        z.writestr(f"DEBIAN-CVE-2099-{i:07d}.json", json.dumps(rec))
root = os.path.join(out, "rootfs")
os.makedirs(os.path.join(root, "etc"), exist_ok=True)
os.makedirs(os.path.join(root, "var/lib/dpkg"), exist_ok=True)
with open(os.path.join(root, "etc/os-release"), "w") as f:
    f.write('ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')
with open(os.path.join(root, "var/lib/dpkg/status"), "w") as f:
    for i in range(n_pkg):
        name = names[(i * 19) % len(names)]
        f.write(f"Package: {name}-bin\nStatus: install ok installed\n"
                f"Version: 1.10-3\n"
                f"Architecture: amd64\nSource: {name}\n\n")
