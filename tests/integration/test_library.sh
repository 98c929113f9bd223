#!/usr/bin/env bash
# tests/integration/test_library.sh - libdrydock as an outside program
# sees it: a build with meson's default build type, `meson install` into
# a temporary prefix, the soname and the exported symbols, and
# examples/scan_threads.c (one engine, four threads) built against the
# installed headers and drydock.pc, whose reports must equal
# `drydock scan --format json` of the same images. The README's Library
# section must show that program as it is.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! python3 - <<'PY'
import sys
ex = open("examples/scan_threads.c").read()
sys.exit(0 if ex in open("README.md").read() else 1)
PY
then
  fail "library: README's Library section does not show examples/scan_threads.c as it is"
else
  pass "library: README shows examples/scan_threads.c verbatim"
fi
if ! meson setup "$T/b" --prefix="$T/prefix" > "$T/setup.log" 2>&1 ||
   ! ninja -C "$T/b" > "$T/build.log" 2>&1 ||
   ! meson install -C "$T/b" > "$T/install.log" 2>&1; then
  fail "library: default build type build/install failed: $(grep -m3 -E 'error|Error' "$T"/*.log | tr '\n' ' ' | head -c 400)"
  exit 0
fi
pass "library: meson setup (default build type) + ninja + meson install"
lib=$(find "$T/prefix" -name 'libdrydock.so.0.*' | head -1)
pc=$(find "$T/prefix" -name drydock.pc | head -1)
if [ -z "$lib" ] || [ -z "$pc" ] || [ ! -f "$T/prefix/include/drydock/drydock.h" ]; then
  fail "library: install lacks libdrydock.so.0.*, drydock.pc or the headers"
  exit 0
fi
soname=$(readelf -d "$lib" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = libdrydock.so.0 ] && pass "library: soname $soname" || fail "library: soname '$soname'"
other=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^dd_' | head -5)
n=$(nm -D --defined-only "$lib" | wc -l)
[ -z "$other" ] && pass "library: only dd_* symbols exported ($n)" || fail "library: exports non-API symbols: $other"
export PKG_CONFIG_PATH=$(dirname "$pc")
# shellcheck disable=SC2046
if ! cc -std=c11 -Wall -Wextra -Werror examples/scan_threads.c -o "$T/ex" \
     $(pkg-config --cflags --libs drydock) -lpthread 2> "$T/cc.log"; then
  fail "library: the example does not build against the install: $(head -c 300 "$T/cc.log")"
  exit 0
fi
pass "library: examples/scan_threads.c builds with pkg-config drydock"
imgs=()
for i in risky alpine-3.20 node-app bookworm-minbase; do
  [ -f "$IMAGES/$i/$i-oci.tar" ] && imgs+=("$IMAGES/$i/$i-oci.tar")
done
if [ ${#imgs[@]} != 4 ]; then
  skip "library: four-image comparison needs the test images"
  exit 0
fi
export LD_LIBRARY_PATH=$(dirname "$lib")
if ! "$T/ex" "${imgs[@]}" > "$T/ex.json" 2> "$T/ex.err"; then
  fail "library: example failed: $(head -c 300 "$T/ex.err")"
  exit 0
fi
ok=1
python3 - "$T/ex.json" "$T/docs" <<'PY' || ok=0
import json, os, sys
text = open(sys.argv[1]).read()
dec, i, docs = json.JSONDecoder(), 0, []
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i == len(text):
        break
    d, i = dec.raw_decode(text, i)
    docs.append(d)
os.makedirs(sys.argv[2])
for k, d in enumerate(docs):
    json.dump(d, open(os.path.join(sys.argv[2], str(k)), "w"), sort_keys=True, indent=1)
sys.exit(0 if len(docs) == 4 else 1)
PY
for k in 0 1 2 3; do
  # the example runs the default set without a database (a library caller
  # may); the CLI refuses that (exit 3), so it names the same scanners and
  # the warnings, which say so differently, are left out of the comparison
  "$T/prefix/bin/drydock" scan -q --scanners secret,malware,config --format json "${imgs[$k]}" > "$T/cli.json" 2>/dev/null
  python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2],"w"), sort_keys=True, indent=1)' "$T/cli.json" "$T/cli.$k"
  python3 -c 'import json,sys
for p in sys.argv[1:]:
    d = json.load(open(p)); d.pop("warnings", None); json.dump(d, open(p, "w"), sort_keys=True, indent=1)' "$T/docs/$k" "$T/cli.$k"
  # the CLI loads compiled YARA rules from its cache: the same rules
  sed -i 's/ rules, cached)/ rules)/' "$T/docs/$k" "$T/cli.$k"
  if ! diff -q "$T/docs/$k" "$T/cli.$k" > /dev/null; then
    ok=0
    fail "library: example's report of $(basename "${imgs[$k]}") differs from drydock scan --format json: $(diff "$T/docs/$k" "$T/cli.$k" | head -5 | tr '\n' ' ')"
  fi
done
[ $ok = 1 ] && pass "library: one engine, four threads: each report equals drydock scan --format json (4 images)"
