#!/usr/bin/env bash
# tests/integration/test_smuggle.sh - tar smuggling forms (issue 23, 1):
# every image tests/tools/mksmuggle.py writes is scanned under ASan+UBSan
# and must give exactly the expected findings (rule id, severity, path;
# "-" = no path) and exit code: what a runtime extracts is what drydock
# analyses, and what it cannot is a finding.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
DD=${DRYDOCK_ASAN:-${DRYDOCK:-$here/../../build-asan/drydock}}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/../tools/mksmuggle.py" "$tmp" >"$tmp/cases" ||
  { fail "smuggle: mksmuggle.py failed"; exit 0; }

# case <TAB> exit <TAB> findings (id severity path, ';'-separated, sorted)
expect() {
  case "$1" in
    oldsparse) echo "1	archive.hardlink-escape HIGH shadow;archive.symlink-escape MEDIUM hostroot;archive.write-escape HIGH hostroot/x;malware.yara.EICAR_Test_File HIGH eicar.com";;
    paxsparse) echo "1	archive.hardlink-escape HIGH hl;archive.parser-differential HIGH -;archive.parser-differential HIGH -;archive.symlink-escape MEDIUM lnk;malware.yara.EICAR_Test_File HIGH eicar2.com";;
    paxsparse10) echo "1	malware.yara.EICAR_Test_File HIGH sparse-eicar.com";;
    hardlink-escape) echo "1	archive.hardlink-escape HIGH shadow;archive.symlink-escape MEDIUM hostroot";;
    write-escape) echo "1	archive.symlink-escape MEDIUM hostroot;archive.write-escape HIGH hostroot/x";;
    whiteout-hardlink) echo "1	malware.yara.EICAR_Test_File HIGH app/keep";;
    zstd-skippable) echo "0	archive.empty-stream MEDIUM -";;
    gzip-empty) echo "0	archive.empty-stream MEDIUM -";;
    *) echo "?	?";;
  esac
}

while read -r c; do
  want=$(expect "$c")
  want_rc=${want%%	*}
  want_f=${want#*	}
  "$DD" scan -q --scanners malware --format json "$tmp/$c.tar" \
    >"$tmp/out.json" 2>"$tmp/err"
  rc=$?
  why=""
  [ "$rc" = "$want_rc" ] || why="exit $rc, expected $want_rc"
  if grep -q -E 'AddressSanitizer|UndefinedBehaviorSanitizer|runtime error' "$tmp/err"; then
    why="$why; sanitizer: $(grep -m1 -E 'ERROR|runtime error' "$tmp/err")"
  fi
  got=$(jq -r '[.findings[] | "\(.id) \(.severity) \(.path // "-")"] | sort | join(";")' \
    "$tmp/out.json" 2>/dev/null)
  [ "$got" = "$want_f" ] || why="$why; findings [$got], expected [$want_f]"
  # content visible through a hardlink is not "deleted"
  n=$(jq '[.findings[] | select(.deleted_in_layer != null)] | length' "$tmp/out.json" 2>/dev/null)
  [ "$n" = 0 ] || why="$why; $n finding(s) marked deleted"
  if [ -z "$why" ]; then pass "smuggle $c: exit $rc, $(echo "$got" | tr ';' '\n' | wc -l) findings"
  else fail "smuggle $c: $why"; fi
done <"$tmp/cases"

# the listing shows the escaping entries as ignored, the sparse payload
# expanded and the hardlinked content under the link's name
"$DD" ls -q "$tmp/whiteout-hardlink.tar" >"$tmp/ls" 2>&1
if grep -qx '/app/keep' "$tmp/ls" && ! grep -qx '/app/eicar.com' "$tmp/ls"; then
  pass "smuggle whiteout-hardlink: ls shows /app/keep only"
else fail "smuggle whiteout-hardlink ls: $(tr '\n' ' ' <"$tmp/ls")"; fi
"$DD" ls -q --long "$tmp/paxsparse10.tar" >"$tmp/ls" 2>&1
if grep -q ' 200 .*/sparse-eicar.com$' "$tmp/ls" && grep -q '/after.txt$' "$tmp/ls"; then
  pass "smuggle paxsparse10: 200-byte expanded file and the entry after it"
else fail "smuggle paxsparse10 ls: $(tr '\n' ' ' <"$tmp/ls")"; fi
