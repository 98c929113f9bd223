#!/usr/bin/env python3
"""Run the upstream version-comparison suites of ../shared/data/versions
(and our Maven list, tests/data/maven-versions.txt) through
`drydock vercmp TYPE -`.

usage: vercmp_suites.py DRYDOCK VERSIONS_DIR MAVEN_FILE
Prints one PASS/FAIL line per suite; exit 1 on failure."""
import os
import subprocess
import sys

DD, VD, MAVEN = sys.argv[1:4]
fails = 0


def run(kind, lines, flags=()):
    r = subprocess.run([DD, "vercmp", kind, *flags, "-"], input="".join(lines),
                       capture_output=True, text=True)
    return r.stdout.split("\n")[:-1]


def report(name, total, bad):
    global fails
    ok = not bad and total > 0
    fails += not ok
    print(("PASS " if ok else "FAIL ") + f"vercmp {name}: {total - len(bad)}/{total} "
          f"cases" + ("" if ok else f"; first misses: {bad[:4]}"))


def tsv(name):
    return [l.rstrip("\n").split("\t") for l in open(os.path.join(VD, name))
            if l.strip() and not l.startswith("#")]


def cmp_suite(kind, name, flags_of=lambda r: ()):
    rows = tsv(name)
    groups = {}
    for r in rows:
        groups.setdefault(tuple(flags_of(r)), []).append(r)
    bad, total = [], 0
    for flags, rs in groups.items():
        out = run(kind, [f"{r[0]}\t{r[1]}\n" for r in rs], flags)
        for r, o in zip(rs, out):
            total += 1
            if o != r[2]:
                bad.append(f"{r[0]} vs {r[1]}: want {r[2]} got {o}")
    report(f"{kind} ({name})", total, bad)


cmp_suite("dpkg", "dpkg_vercmp.tsv")
cmp_suite("rpm", "rpm_rpmvercmp.tsv")
cmp_suite("apk", "apk_version.tsv")
cmp_suite("semver", "semver_npm_cmp.tsv",
          lambda r: ["--loose"] if r[3] == "loose" else [])

rows = tsv("apk_version_validity.tsv")
out = run("apk-valid", [f"{r[0]}\n" for r in rows])
report("apk validity (apk_version_validity.tsv)", len(rows),
       [f"{r[0]!r}: want {r[1]} got {o}" for r, o in zip(rows, out) if o != r[1]])

rows = tsv("apk_version_fuzzy.tsv")
out = run("apk-match", [f"{r[0]}\t{r[1]}\t{r[2]}\n" for r in rows])
report("apk fuzzy/operators (apk_version_fuzzy.tsv)", len(rows),
       [f"{r}: got {o}" for r, o in zip(rows, out) if o != "true"])


def range_flags(o):
    if o == "loose" or o.startswith("{ loose:") and o.split(":")[1].strip(" }") \
            not in ("0", "null", "undefined", "NaN", "false", "''"):
        return ["--loose"]
    if "includePrerelease: true" in o:
        return ["--include-prerelease"]
    return []


rows = tsv("semver_npm_range.tsv")
bad, total = [], 0
for r in rows:
    rng = "\t".join(r[:-3]).encode().decode("unicode_escape")
    v, want, o = r[-3:]
    out = run("semver-range", [f"{rng}\t{v}\n"], range_flags(o))
    total += 1
    if out != [want]:
        bad.append(f"{rng!r} {v} ({o}): want {want} got {out}")
report("semver ranges (semver_npm_range.tsv)", total, bad)

rows = [l.strip() for l in open(os.path.join(VD, "pep440_sorted_list.txt")) if l.strip()]
out = run("pep440", [f"{a}\t{b}\n" for a in rows for b in rows])
bad, k = [], 0
for i, a in enumerate(rows):
    for j, b in enumerate(rows):
        want = str((i > j) - (i < j))
        if out[k] != want:
            bad.append(f"{a} vs {b}: want {want} got {out[k]}")
        k += 1
report("pep440 (every pair of pep440_sorted_list.txt)", k, bad)

bad, total = [], 0
for line in open(MAVEN):
    if line.startswith("#") or not line.strip():
        continue
    kind, vs = line.split(":", 1)
    vs = vs.split()
    out = run("maven", [f"{a}\t{b}\n" for a in vs for b in vs])
    k = 0
    for i, a in enumerate(vs):
        for j, b in enumerate(vs):
            want = str((i > j) - (i < j)) if kind == "order" else "0"
            total += 1
            if out[k] != want:
                bad.append(f"{a} vs {b}: want {want} got {out[k]}")
            k += 1
report("maven (tests/data/maven-versions.txt)", total, bad)
sys.exit(1 if fails else 0)
