#!/usr/bin/env python3
"""Compare our package-database parsers with the expected lists shipped
beside the fixtures in ../shared/data/pkgdb (dpkg txtar bundles, apk
installed DB, rpmdb in NDB / Berkeley DB / SQLite, one rpm header blob).

usage: pkgdb_fixtures.py PKGDB_DUMP DATA_DIR
Prints PASS/FAIL lines; exit status 1 on any failure.
"""
import json
import os
import subprocess
import sys
import tempfile

DUMP, DATA = sys.argv[1], sys.argv[2]
fails = 0


def report(ok, name, detail=""):
    global fails
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail))
    if not ok:
        fails += 1


def dump(kind, path):
    r = subprocess.run([DUMP, kind, path], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{kind} {path}: exit {r.returncode} {r.stderr}")
    return json.loads(r.stdout)


def full(epoch, ver, rel):
    v = ver or ""
    if epoch not in (None, 0, "0", ""):
        v = f"{epoch}:{v}"
    if rel:
        v = f"{v}-{rel}"
    return v


def txtar(path):
    files, cur = {}, None
    for line in open(path, encoding="utf-8", errors="surrogateescape"):
        if line.startswith("-- ") and line.rstrip().endswith(" --"):
            cur = line.strip()[3:-3]
            files[cur] = ""
        elif cur is not None:
            files[cur] += line
    return files


def diff(want, got):
    missing = sorted(want - got)[:5]
    extra = sorted(got - want)[:5]
    return f"missing {missing} extra {extra}"


# ---- dpkg
dpkg_dir = os.path.join(DATA, "dpkg-fixtures")
exp = json.load(open(os.path.join(dpkg_dir, "expected.json")))
for bundle, e in sorted(exp.items()):
    files = txtar(os.path.join(dpkg_dir, bundle))
    for info in e.get("PackageInfos", []):
        with tempfile.NamedTemporaryFile("w", delete=False,
                                         encoding="utf-8",
                                         errors="surrogateescape") as t:
            t.write(files[info["FilePath"]])
        got_doc = dump("dpkg", t.name)
        os.unlink(t.name)
        want = {(p["Name"], full(p.get("Epoch"), p["Version"], p.get("Release")),
                 p.get("SrcName") or p["Name"],
                 full(p.get("SrcEpoch"), p.get("SrcVersion"), p.get("SrcRelease"))
                 if p.get("SrcVersion") else None,
                 p.get("Arch")) for p in info["Packages"]}
        got = {(p["name"], p["version"], p["source_name"], p["source_version"],
                p["arch"]) for p in got_doc["packages"]}
        report(want == got, f"dpkg fixture {bundle}: {len(want)} packages "
               "(name, version, source, source version, arch)",
               diff(want, got))
        if bundle == "corrupsed.txtar":
            report(len(got_doc["warnings"]) >= 2 and
                   all("line" in w for w in got_doc["warnings"]),
                   "dpkg corrupsed.txtar: broken stanzas skipped with a "
                   "warning naming the line", str(got_doc["warnings"]))

# ---- apk
apk_dir = os.path.join(DATA, "apk-fixtures")
exp = json.load(open(os.path.join(apk_dir, "expected.json")))
got_doc = dump("apk", os.path.join(apk_dir, "installed"))
want = {(p["Name"], p["Version"], p["SrcName"], p["Arch"], p["Digest"],
         tuple(sorted(p.get("InstalledFiles", [])))) for p in exp["wantPkgs"]}
got = {(p["name"], p["version"], p["source_name"], p["arch"], p["checksum"],
        tuple(sorted(p["files"]))) for p in got_doc["packages"]}
report(want == got, f"apk fixture: {len(want)} packages (name, version, "
       "origin, arch, checksum, files)", diff(want, got))
report(any("without V" in w for w in got_doc["warnings"]),
       "apk fixture: entry without a version skipped with a warning",
       str(got_doc["warnings"]))

# ---- rpm
rpm_dir = os.path.join(DATA, "rpmdb-fixtures")
lists = json.load(open(os.path.join(rpm_dir, "expected_package_lists.json")))
kinds = {"Packages": "bdb", "Packages.db": "ndb", "rpmdb.sqlite": "sqlite"}
checked = 0
for name, e in sorted(lists.items()):
    rel = e["file"].replace("testdata/", "")
    path = os.path.join(rpm_dir, rel)
    if not os.path.exists(path):
        continue  # only some of the upstream databases are shipped
    checked += 1
    got_doc = dump(kinds[os.path.basename(path)], path)
    want = {(p["Name"], full(p["Epoch"], p["Version"], p["Release"]), p["Arch"],
             p["SourceRpm"], p["License"], p["Vendor"], p["Modularitylabel"] or None,
             p["SigMD5"]) for p in e["packages"] if p["Name"] != "gpg-pubkey"}
    got = {(p["name"], p["version"], p["arch"], p["source_rpm"], p["license"],
            p["vendor"], p["modularity"], p["checksum"]) for p in got_doc["packages"]}
    report(want == got and got_doc["complete"],
           f"rpmdb fixture {name} ({os.path.basename(path)}): {len(want)} packages "
           "(name, epoch:version-release, arch, srpm, license, vendor, "
           "modularity, sigmd5)", diff(want, got))
report(checked > 0, "rpmdb fixtures: at least one expected list has its database")

single = json.load(open(os.path.join(rpm_dir, "expected_single_package.json")))
for e in single:
    rel = e["file"].replace("testdata/", "")
    path = os.path.join(rpm_dir, rel)
    got_doc = dump(kinds[os.path.basename(path)], path)
    w = e["want"]
    hit = [p for p in got_doc["packages"] if p["name"] == e["pkgName"]]
    ok = len(hit) == 1 and hit[0]["upstream"] == w["Version"] and \
        hit[0]["release"] == w["Release"] and hit[0]["arch"] == w["Arch"] and \
        hit[0]["source_rpm"] == w["SourceRpm"] and \
        hit[0]["license"] == w["License"] and hit[0]["vendor"] == w["Vendor"] and \
        hit[0]["checksum"] == w["SigMD5"] and len(hit[0]["files"]) > 0
    report(ok, f"rpmdb single package {e['name']} ({os.path.basename(path)})",
           json.dumps(hit)[:400])

got_doc = dump("rpm-header", os.path.join(rpm_dir, "blob.bin"))
report(len(got_doc["packages"]) == 1 and got_doc["packages"][0]["name"],
       "rpm header blob.bin: one package read", json.dumps(got_doc)[:300])
sys.exit(1 if fails else 0)
