#!/usr/bin/env bash
# tests/integration/test_report.sh - the reports a person reads (issue 14
# item 4) on real scans of the test images:
#  - table: what was and was not checked, the summary first, then one
#    section per kind in order, each sorted by severity; colour only on a
#    terminal (script(1)), never with NO_COLOR (any value), --no-color or -o;
#  - INFO is its own severity in the table summary, the JSON summary, SARIF
#    (level note) and agrees with the findings;
#  - --format junit: parsed by python, counts that agree with the JSON
#    findings, <failure> exactly for the findings at or above --fail-on
#    (never INFO), valid against tests/data/junit.xsd (xmllint), and the
#    hostile-names image (tests/tools/mkhostile_names.py) still parses with
#    every control byte escaped.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
DD=${DRYDOCK:-$here/../../build/drydock}
XSD=$here/../data/junit.xsd
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

R=$IMAGES/risky/oci
if [ ! -d "$R" ]; then
  skip "report: risky image not built"
  exit 0
fi

# ---------------------------------------------------------------- table
"$DD" scan -q --scanners secret,malware,config "$R" > "$T/t.txt" 2> "$T/t.err"
why=$(python3 - "$T/t.txt" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
lines = t.split("\n")
if not lines[0].startswith("localhost/risky:latest (alpine"):
    sys.exit("first line: %r" % lines[0])
want = ["  vulnerabilities     not checked (not selected)",
        "  secrets             checked",
        "  misconfigurations   checked"]
for w in want:
    if w not in lines[1:8]:
        sys.exit("header lacks %r" % w)
if "packages checked against" in t or "no namespace" in t:
    sys.exit("header claims a vulnerability check")
heads = ["Summary", "Secrets (", "Malware (", "Misconfigurations ("]
pos = [t.find("\n" + h) for h in heads]
if -1 in pos or pos != sorted(pos):
    sys.exit("sections out of order: %r" % list(zip(heads, pos)))
if "Vulnerabilities (" in t:
    sys.exit("a vulnerability section without the vuln scanner")
rank = {"CRITICAL": 5, "HIGH": 4, "MEDIUM": 3, "LOW": 2, "INFO": 1, "UNKNOWN": 0}
for h in heads[1:]:
    sec = [l for l in t[t.find("\n" + h):].split("\n\n")[0].split("\n")[2:] if l]
    head = sec[0]
    starts = [m.start() for m in re.finditer(r"(?<=  )[A-Z]+", head)]
    sev = [rank[l.split()[0]] for l in sec[1:]]
    if sev != sorted(sev, reverse=True):
        sys.exit("%s not sorted by severity: %r" % (h, sev))
    for l in sec[1:]:
        for s in starts[1:]:
            if l[s - 2:s] != "  " or l[s] == " ":
                sys.exit("%s: column at %d not aligned in %r" % (h, s, l))
if "\x1b" in t:
    sys.exit("ESC byte in piped output")
PY
) && pass "table: header says vulnerabilities not checked (not selected), summary first, sections in order, sorted by severity, columns aligned, no ESC when piped" ||
  fail "table: $why"

if command -v script > /dev/null; then
  # script(1) gives drydock a terminal; its transcript is the output
  tty_scan() { script -qec "$1" /dev/null < /dev/null > "$T/tty.txt" 2>&1; }
  tty_scan "'$DD' scan -q --scanners secret,config '$R'"
  grep -q $'\e\\[1;31mCRITICAL\e\\[0m' "$T/tty.txt" && pass "table on a terminal: severities coloured" ||
    fail "table on a terminal: no colour: $(head -c 300 "$T/tty.txt" | od -c | head -5)"
  n=0
  for how in "env NO_COLOR= '$DD' scan -q --scanners secret,config '$R'" \
             "env NO_COLOR=1 '$DD' scan -q --scanners secret,config '$R'" \
             "'$DD' scan -q --no-color --scanners secret,config '$R'"; do
    tty_scan "$how"
    if grep -q $'\e' "$T/tty.txt" || ! grep -q "^Secrets (" "$T/tty.txt"; then
      fail "no colour: ESC byte with: $how"
    else
      n=$((n + 1))
    fi
  done
  [ $n = 3 ] && pass "table on a terminal: no colour with NO_COLOR (empty or set) or --no-color"
  tty_scan "'$DD' scan -q --scanners secret,config -o '$T/o.txt' '$R'"
  grep -q $'\e' "$T/o.txt" && fail "table -o FILE on a terminal: ESC in the file" ||
    pass "table -o FILE on a terminal: no colour in the file"
else
  skip "table colour: script(1) not installed"
fi

# ---------------------------------------------------------- INFO counts
SECDB=$here/../../../shared/data/feeds
MB=$IMAGES/bookworm-stale-dpkg/bookworm-stale-dpkg-oci.tar
if [ -f "$MB" ] && [ -d "$SECDB/debian-tracker-2023-04" ] && [ -d "$SECDB/osv-debian-sample" ]; then
  "$DD" db import --db "$T/deb.db" "$SECDB/debian-tracker-2023-04" "$SECDB/osv-debian-sample" > /dev/null 2>&1
  S=(scan -q --db "$T/deb.db" --db-max-age 100000 "$MB")
  "$DD" "${S[@]}" --format json > "$T/m.json"
  "$DD" "${S[@]}" --format sarif > "$T/m.sarif"
  "$DD" "${S[@]}" > "$T/m.txt"
  "$DD" "${S[@]}" --format junit > "$T/m.xml"
  why=$(python3 - "$T/m.json" "$T/m.sarif" "$T/m.txt" "$T/m.xml" <<'PY'
import json, sys, xml.etree.ElementTree as ET
doc = json.load(open(sys.argv[1]))
sarif = json.load(open(sys.argv[2]))
table = open(sys.argv[3], encoding="utf-8").read()
f = doc["findings"]
count = {s: sum(1 for x in f if x["severity"] == s) for s in
         ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO", "UNKNOWN")}
if count["INFO"] == 0:
    sys.exit("the fixture has no INFO finding")
sm = doc["summary"]
if sm.get("info") != count["INFO"] or sm["unknown"] != count["UNKNOWN"]:
    sys.exit("JSON summary %r, findings %r" % (sm, count))
lv = {r["level"] for r, x in zip(sarif["runs"][0]["results"], f) if x["severity"] == "INFO"}
if lv != {"note"}:
    sys.exit("SARIF levels of INFO findings: %r" % lv)
tot = [l for l in table.split("\n") if l.startswith("  total ")][0].split()
want = [str(count[s]) for s in ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO", "UNKNOWN")]
if tot[1:7] != want or tot[7] != str(len(f)):
    sys.exit("table total row %r, findings %r" % (tot, want))
if "  vulnerabilities     88 packages checked against debian:12" not in table:
    sys.exit("table header: %r" % table.split("\n")[1])
# vulnerabilities grouped by package, each package once
vs = table[table.find("\nVulnerabilities ("):].split("\n\n")[0].split("\n")[3:]
pk = [l[2:].split()[0] for l in vs if l[2] != " "]
if len(pk) != len(set(pk)) or len(pk) != len({x["vulnerability"]["package"] for x in f if x["kind"] == "vuln"}):
    sys.exit("packages not grouped: %r" % pk)
x = ET.parse(sys.argv[4]).getroot()
fails = sum(1 for e in x.iter("failure"))
want = sum(1 for y in f if y["severity"] in ("HIGH", "CRITICAL"))
if fails != want:
    sys.exit("junit failures %d, findings at or above HIGH %d" % (fails, want))
PY
) && pass "INFO is its own severity: JSON summary info/unknown, SARIF note, table total row, junit failures (default --fail-on HIGH) agree with the findings; vulnerabilities grouped by package" ||
    fail "INFO/summary: $why"
  # CycloneDX and SPDX of a scan are streamed by the library; the
  # CycloneDX carries one vulnerability per vuln finding of the JSON, each
  # affecting a component of the same document, scores as written
  "$DD" "${S[@]}" --format cyclonedx > "$T/m.cdx"; crc=$?
  "$DD" "${S[@]}" --format spdx > "$T/m.spdx"; src=$?
  why=$(python3 - "$T/m.json" "$T/m.cdx" "$T/m.spdx" "$crc" "$src" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
raw = open(sys.argv[2]).read()
cdx = json.loads(raw)
spdx = json.load(open(sys.argv[3]))
if sys.argv[4] not in ("0", "1") or sys.argv[5] not in ("0", "1"):
    sys.exit("exit codes %s %s" % (sys.argv[4], sys.argv[5]))
vf = [x for x in doc["findings"] if x["kind"] == "vuln"]
vs = cdx.get("vulnerabilities", [])
if not vf or [v["id"] for v in vs] != [x["id"] for x in vf]:
    sys.exit("vulnerabilities %d, vuln findings %d" % (len(vs), len(vf)))
refs = {c.get("bom-ref") for c in cdx["components"]} | {c.get("purl") for c in cdx["components"]}
bad = [v["id"] for v in vs if v["affects"][0]["ref"] not in refs]
if bad:
    sys.exit("affects refs not in components: %r" % bad[:3])
if "0000000000" in raw:
    sys.exit("a score printed with float noise")
if cdx["specVersion"] != "1.6" or spdx["spdxVersion"] != "SPDX-2.3" or not spdx["packages"]:
    sys.exit("document versions")
if not raw.endswith("}\n"):
    sys.exit("no final newline")
PY
) && pass "scan --format cyclonedx (streamed, with $(jq '.vulnerabilities | length' "$T/m.cdx") vulnerabilities matching the JSON findings and components) and --format spdx" ||
    fail "scan cyclonedx/spdx: $why"
else
  skip "INFO counts: bookworm-stale-dpkg or the Debian feeds in ../shared are absent"
fi

# ---------------------------------------------------------------- junit
check_junit() { # xml json fail_on-list
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
doc = json.load(open(sys.argv[2]))
failing = set(sys.argv[3].split(",")) if sys.argv[3] else set()
if root.tag != "testsuites":
    sys.exit("root is %s" % root.tag)
suites = root.findall("testsuite")
names = [s.get("name") for s in suites]
if names != ["vulnerabilities", "secrets", "malware", "misconfigurations", "archive", "trust"]:
    sys.exit("testsuites %r" % names)
cases = fails = 0
for s in suites:
    tc = s.findall("testcase")
    fl = sum(len(c.findall("failure")) for c in tc)
    sk = sum(len(c.findall("skipped")) for c in tc)
    if int(s.get("tests")) != len(tc) or int(s.get("failures")) != fl or int(s.get("skipped")) != sk:
        sys.exit("suite %s counts: %r vs %d/%d/%d" % (s.get("name"), s.attrib, len(tc), fl, sk))
    for c in tc:
        if not c.get("name") or not c.get("classname"):
            sys.exit("testcase without name/classname")
        for e in c.findall("failure"):
            if not e.get("message") or e.get("type") not in failing:
                sys.exit("failure %r" % e.attrib)
    cases += len(tc) - sk
    fails += fl
if int(root.get("failures")) != fails:
    sys.exit("testsuites failures %s, counted %d" % (root.get("failures"), fails))
f = doc["findings"]
if cases != len(f):
    sys.exit("%d testcases for %d findings" % (cases, len(f)))
want = sum(1 for x in f if x["severity"] in failing)
if fails != want:
    sys.exit("%d failures, %d findings of %r" % (fails, want, failing))
PY
}
"$DD" scan -q --scanners secret,malware,config --format json "$R" > "$T/r.json" 2> /dev/null
"$DD" scan -q --scanners secret,malware,config --format junit "$R" > "$T/r.xml" 2> /dev/null
why=$(check_junit "$T/r.xml" "$T/r.json" HIGH,CRITICAL) &&
  pass "junit risky: testsuites > 6 testsuites, a testcase per finding, <failure> for HIGH and CRITICAL (default --fail-on), counts agree" ||
  fail "junit risky: $why"
"$DD" scan -q --scanners secret,malware,config --format junit --exit-code 1 "$R" > "$T/r2.xml" 2> /dev/null
why=$(check_junit "$T/r2.xml" "$T/r.json" CRITICAL,HIGH,MEDIUM,LOW,UNKNOWN) &&
  pass "junit --exit-code: every finding but INFO is a <failure>" || fail "junit --exit-code: $why"
"$DD" scan -q --scanners secret,malware,config --format junit --fail-on none "$R" > "$T/r3.xml" 2> /dev/null
why=$(check_junit "$T/r3.xml" "$T/r.json" "") &&
  pass "junit --fail-on none: no <failure>" || fail "junit --fail-on none: $why"
grep -q '<skipped message="not checked' "$T/r.xml" &&
  pass "junit: a kind that was not checked is a skipped testcase saying why" ||
  fail "junit: no skipped testcase for the vulnerabilities (not selected)"
if command -v xmllint > /dev/null; then
  xmllint --noout --schema "$XSD" "$T/r.xml" "$T/r2.xml" > "$T/xl.out" 2>&1 &&
    pass "junit: valid against the JUnit schema (xmllint --schema tests/data/junit.xsd)" ||
    fail "junit xmllint: $(head -c 400 "$T/xl.out")"
else
  skip "junit schema: xmllint not installed (libxml2-utils)"
fi

# hostile names: control bytes, C1, bidi, invalid UTF-8 in paths and config
if python3 "$here/../tools/mkhostile_names.py" "$T/h.tar" > "$T/h.hex" 2> /dev/null; then
  "$DD" scan -q --scanners secret,malware,config --format junit "$T/h.tar" > "$T/h.xml" 2> /dev/null
  "$DD" scan -q --scanners secret,malware,config --format json "$T/h.tar" > "$T/h.json" 2> /dev/null
  why=$(python3 - "$T/h.xml" "$T/h.json" <<'PY'
import json, sys, xml.etree.ElementTree as ET
b = open(sys.argv[1], "rb").read()
bad = [c for c in b if c < 0x20 and c not in (9, 10)]
if bad:
    sys.exit("control byte 0x%02x" % bad[0])
t = b.decode("utf-8")
for ch in t:
    o = ord(ch)
    if 0x80 <= o <= 0x9f or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069 or o in (0xfffe, 0xffff):
        sys.exit("code point U+%04X" % o)
root = ET.fromstring(b)
n = sum(1 for c in root.iter("testcase") if c.find("skipped") is None)
if n != len(json.load(open(sys.argv[2]))["findings"]) or n == 0:
    sys.exit("%d testcases" % n)
if "\\x" not in t:
    sys.exit("no visible escape in the hostile names")
PY
) && pass "junit hostile names: parses, every control byte and invalid UTF-8 escaped, one testcase per finding" ||
    fail "junit hostile names: $why"
  if command -v xmllint > /dev/null; then
    xmllint --noout --schema "$XSD" "$T/h.xml" > "$T/xl.out" 2>&1 && pass "junit hostile names: valid against the schema" ||
      fail "junit hostile xmllint: $(head -c 400 "$T/xl.out")"
  fi
else
  fail "report: mkhostile_names.py failed"
fi
