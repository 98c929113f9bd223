#!/usr/bin/env bash
# tests/integration/test_escape.sh - image text never reaches a terminal
# raw (issue 23, 2) and never drops out of JSON: an image whose names and
# config hold every control byte, C1, bidi controls and invalid UTF-8
# (tests/tools/mkhostile_names.py) goes through every command's table
# output; then the JSON findings keep their path (escaped + path_bytes).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
DRYDOCK=${DRYDOCK:-$here/../../build/drydock}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/../tools/mkhostile_names.py" "$tmp/h.tar" >"$tmp/hostile.hex" ||
  { fail "escape generator: mkhostile_names.py failed"; exit 0; }
# no byte 0x00-0x08, 0x0b-0x1f, 0x7f, no C1 or bidi code point, no raw
# byte that is not UTF-8
check() {
  python3 - "$1" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
bad = [c for c in b if c < 0x20 and c not in (9, 10) or c == 0x7f]
if bad:
    sys.exit("control byte 0x%02x" % bad[0])
try:
    t = b.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("not UTF-8: %s" % e)
for ch in t:
    o = ord(ch)
    if 0x80 <= o <= 0x9f or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
        sys.exit("code point U+%04X" % o)
PY
}
run() { # name, command...
  local name=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -gt 4 ]; then fail "escape $name: exit $rc"; return; fi
  if [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]; then
    fail "escape $name: no output"; return
  fi
  local why
  if ! why=$(check "$tmp/out" 2>&1); then fail "escape $name stdout: $why"
  elif ! why=$(check "$tmp/err" 2>&1); then fail "escape $name stderr: $why"
  else pass "escape $name"; fi
}
img=$tmp/h.tar
run ls "$DRYDOCK" ls "$img"
run ls-long "$DRYDOCK" ls --long "$img"
run ls-layers "$DRYDOCK" ls --layers --long "$img"
run inspect "$DRYDOCK" inspect -q "$img"
run history "$DRYDOCK" history -q "$img"
run scan-table "$DRYDOCK" scan -q --scanners secret,malware,config "$img"
run sbom-table "$DRYDOCK" sbom -q "$img"
printf 'FROM x\nUSER root\x1b]0;t\x07\xe2\x80\xae\nRUN echo \xc2\x9b\xff\n' >"$tmp/Dockerfile$(printf '\xe2\x80\xae\x1b[2J')"
run dockerfile "$DRYDOCK" dockerfile "$tmp"/Dockerfile*
# JSON: every hostile file keeps its location; the escape undoes to the
# raw bytes and path_bytes holds them
"$DRYDOCK" scan -q --scanners secret,malware --format json "$img" \
  >"$tmp/scan.json" 2>/dev/null
why=$(python3 - "$tmp/scan.json" "$tmp/hostile.hex" <<'PY'
import base64, json, re, sys
doc = json.load(open(sys.argv[1]))
want = {bytes.fromhex(l.strip()) for l in open(sys.argv[2]) if l.strip()}
def undo(s):
    out = bytearray()
    i = 0
    while i < len(s):
        if s.startswith("\\\\", i):
            out += b"\\"; i += 2
        elif re.match(r"\\x[0-9a-f]{2}", s[i:i + 4]):
            out.append(int(s[i + 2:i + 4], 16)); i += 4
        else:
            out += s[i].encode(); i += 1
    return bytes(out)
seen = set()
for f in doc["findings"]:
    if f["kind"] not in ("secret", "malware"):
        continue
    if f.get("path") is None:
        sys.exit("finding %s without a path" % f["id"])
    if "path_bytes" in f:
        raw = base64.b64decode(f["path_bytes"])
        if undo(f["path"]) != raw:
            sys.exit("escape of %r does not undo to path_bytes" % f["path"])
        seen.add(raw)
missing = want - seen
if missing:
    sys.exit("no finding keeps %r" % sorted(missing)[0])
PY
) && pass "escape scan json keeps path and path_bytes" || fail "escape scan json: $why"
