#!/usr/bin/env bash
# Every crafted mal-* image gives its expected findings and exit code, in
# every form, under ASan+UBSan, and nothing is written outside the scan.
set -u
. "$(dirname "$0")/lib.sh"
DD=${DRYDOCK_ASAN:-$DRYDOCK}
EXPECT=$(dirname "$0")/../data/mal-expect.tsv
if ! ls -d "$IMAGES"/mal-* >/dev/null 2>&1; then
  skip "mal-images: no test images under $IMAGES (make-images.sh small)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sentinels="/tmp/evil-traversal.txt /tmp/evil-traversal2.txt /tmp/evil-absolute.txt /tmp/evil-through-abs-symlink.txt /tmp/evil-through-rel-symlink.txt /tmp/evil-through-chain.txt /etc/cron.d/evil /etc/cron.d/evil-absolute"
before=$(md5sum /etc/shadow 2>/dev/null)
while IFS=$'\t' read -r case forms code rules; do
  case "$case" in ''|'#'*) continue;; esac
  [ -d "$IMAGES/mal-$case" ] || { fail "mal-$case: image missing"; continue; }
  while read -r label path; do
    case "$forms" in
      all) ;;
      oci) [ "$label" = oci ] || [ "$label" = ocitar ] || continue;;
      docker) [ "$label" = docker ] || [ "$label" = docker25 ] || continue;;
    esac
    (cd "$work" && "$DD" ls -q --format json "$path" >"$work/out.json" 2>"$work/err")
    rc=$?
    ok=1; why=""
    # `ls` shows findings but exits 0 unless the image could not be read
    # (README "Exit codes"): "1" in the table means a HIGH+ finding, shown
    want=$code
    if [ "$code" = 1 ]; then
      want=0
      jq -e '[.findings[] | select(.severity=="HIGH" or .severity=="CRITICAL")] | length > 0' "$work/out.json" >/dev/null 2>&1 \
        || { ok=0; why="no HIGH/CRITICAL finding"; }
    fi
    [ "$rc" = "$want" ] || { ok=0; why="$why; exit $rc, expected $want"; }
    if grep -q -E 'AddressSanitizer|UndefinedBehaviorSanitizer|runtime error' "$work/err"; then
      ok=0; why="$why; sanitizer report: $(grep -m1 -E 'ERROR|runtime error' "$work/err")"
    fi
    if [ "$rules" != "-" ]; then
      for r in ${rules//,/ }; do
        jq -e --arg r "$r" '[.findings[].id] | index($r) != null' "$work/out.json" >/dev/null 2>&1 \
          || { ok=0; why="$why; missing $r"; }
      done
    else
      n=$(jq '.findings | length' "$work/out.json" 2>/dev/null)
      [ "$n" = 0 ] || { ok=0; why="$why; expected no findings, got $n"; }
    fi
    # every finding names its layer digest; archive findings carry an offset
    jq -e '[.findings[] | select(.kind=="archive") | select(.offset==null or .layer_digest==null)] | length == 0' \
      "$work/out.json" >/dev/null 2>&1 || { ok=0; why="$why; archive finding without offset/digest"; }
    if [ $ok = 1 ]; then pass "mal-$case [$label] exit $rc"; else fail "mal-$case [$label]: $why"; fi
  done < <(image_forms "mal-$case")
done < "$EXPECT"
bad=""
for s in $sentinels; do [ -e "$s" ] && bad="$bad $s"; done
[ -z "$(ls -A "$work" | grep -v -x -e out.json -e err)" ] || bad="$bad (files in cwd)"
[ "$before" = "$(md5sum /etc/shadow 2>/dev/null)" ] || bad="$bad /etc/shadow changed"
if [ -z "$bad" ]; then pass "mal-images: nothing written outside the scan"; else fail "mal-images wrote:$bad"; fi
