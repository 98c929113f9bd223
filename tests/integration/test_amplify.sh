#!/usr/bin/env bash
# tests/integration/test_amplify.sh - work caused by structure is bounded
# (issue 23, 3 "Amplification"; docs/budgets.md). Each input of
# tests/tools/mkamplify.py is scanned by the ASan+UBSan binary under
# /usr/bin/time with a generous hang timeout; asserted: the HIGH finding
# that names the budget, exit 4 (read in part) and peak RSS under 512 MiB.
# Nothing here asserts wall time.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
BIN=${DRYDOCK_ASAN:-${DRYDOCK:-$here/../../build/drydock}}
GEN=$here/../tools/mkamplify.py
RSS_CAP_KB=$((512 * 1024))
if [ ! -x /usr/bin/time ]; then
  skip "amplify: /usr/bin/time missing (Debian package 'time', make deps-test)"
  exit 0
fi
if ! command -v jq >/dev/null; then
  skip "amplify: jq missing"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# scan LABEL RULE INPUT [scan options...]
scan() {
  local label=$1 rule=$2 input=$3
  shift 3
  timeout 300 /usr/bin/time -f %M -o "$tmp/rss" "$BIN" scan \
    --scanners secret,malware,config --format json "$@" "$input" \
    >"$tmp/out.json" 2>"$tmp/err"
  local rc=$? rss
  rss=$(tail -n 1 "$tmp/rss" 2>/dev/null)
  if [ "$rc" = 124 ]; then
    fail "amplify $label: no result within the 300 s hang timeout"
    return
  fi
  if ! jq -e --arg r "$rule" \
    '[.findings[] | select(.id == $r and .severity == "HIGH")] | length > 0' \
    "$tmp/out.json" >/dev/null 2>&1; then
    fail "amplify $label: no HIGH $rule finding (exit $rc: $(head -c 300 "$tmp/err"))"
    return
  fi
  pass "amplify $label: HIGH $rule finding"
  if [ "$rc" = 4 ]; then
    pass "amplify $label: exit 4 (image read in part)"
  else
    fail "amplify $label: exit $rc, want 4"
  fi
  case $rss in
  '' | *[!0-9]*) fail "amplify $label: no peak RSS from /usr/bin/time" ;;
  *)
    if [ "$rss" -lt "$RSS_CAP_KB" ]; then
      pass "amplify $label: peak RSS $((rss / 1024)) MiB < 512 MiB"
    else
      fail "amplify $label: peak RSS $((rss / 1024)) MiB >= 512 MiB"
    fi
    ;;
  esac
}

gen() {
  python3 "$GEN" "$@" || { fail "amplify generator: mkamplify.py $*"; return 1; }
}

# 4,096 layers referencing one 64 KB blob that inflates to 64 MiB: read
# once (a bomb finding for the blob itself), the repeats reported
gen repeat "$tmp/repeat" 4096 64 &&
  scan "4096 layers, one bomb blob" archive.repeated-layer "$tmp/repeat"
if [ -s "$tmp/out.json" ] &&
  jq -e '[.findings[] | select(.id == "archive.decompression-bomb")] | length == 1' \
    "$tmp/out.json" >/dev/null; then
  pass "amplify repeat: the bomb blob was decompressed once (one bomb finding)"
else
  fail "amplify repeat: want exactly one archive.decompression-bomb finding"
fi
rm -rf "$tmp/repeat"

# an index whose levels each reference the next 1,000 times
gen fanout "$tmp/fanout" 1000 &&
  scan "index fan-out 1000^3" budget.manifests "$tmp/fanout"
rm -rf "$tmp/fanout"
# the same fan-out over an empty leaf index: no image at all, 1000^3 index
# reads before; now a clear error (exit 3) naming the budget
if gen fanout "$tmp/fan0" 1000 0; then
  timeout 300 /usr/bin/time -f %M -o "$tmp/rss" "$BIN" scan --scanners config \
    "$tmp/fan0" >/dev/null 2>"$tmp/err"
  rc=$?
  rss=$(tail -n 1 "$tmp/rss")
  if [ "$rc" = 3 ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
    grep -q "budget.manifests" "$tmp/err" && [ "${rss:-999999999}" -lt "$RSS_CAP_KB" ]; then
    pass "amplify empty fan-out: one error line naming budget.manifests, exit 3, RSS $((rss / 1024)) MiB"
  else
    fail "amplify empty fan-out: exit $rc, rss ${rss}KB, stderr: $(head -c 300 "$tmp/err")"
  fi
fi
rm -rf "$tmp/fan0"

# a manifest of 10,000 layers (docker-archive)
gen layers "$tmp/layers.tar" 10000 &&
  scan "10,000-layer manifest" budget.layers "$tmp/layers.tar"
rm -f "$tmp/layers.tar"

# 700,000 history entries
gen history "$tmp/history" 700000 &&
  scan "700,000 history entries" budget.history "$tmp/history"
rm -rf "$tmp/history"

# --timeout: a layer of 8 GiB of zeros (8 MiB of gzip) cannot be read
# within 1 s; the ratio limit is lifted so that only the deadline stops it
gen slow "$tmp/slow" 8 &&
  scan "--timeout 1s" scan.timeout "$tmp/slow" --timeout 1s --max-ratio 100000
rm -rf "$tmp/slow"

# a bad --timeout: one line, exit 2
for bad in 0 5x -3 1.5s ""; do
  "$BIN" scan --timeout "$bad" "$tmp/none" >"$tmp/o" 2>"$tmp/e"
  rc=$?
  if [ "$rc" = 2 ] && [ "$(wc -l <"$tmp/e")" = 1 ] && grep -q -- --timeout "$tmp/e"; then
    pass "amplify --timeout '$bad': one error line, exit 2"
  else
    fail "amplify --timeout '$bad': exit $rc, stderr: $(head -c 200 "$tmp/e")"
  fi
done
