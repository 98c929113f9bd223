#!/usr/bin/env bash
# The merged filesystem drydock lists equals `tar -t` of every layer with
# whiteouts applied (tests/integration/fslist.py), for real images, in
# every form of each image.
set -u
. "$(dirname "$0")/lib.sh"
DD=$DRYDOCK
HERE=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for img in alpine-3.9 alpine-3.10 alpine-3.11 alpine-3.20 bookworm-minbase bookworm-stale-dpkg node-app risky; do
  if [ ! -f "$IMAGES/$img/$img-docker.tar" ]; then skip "fslist $img: image not built"; continue; fi
  python3 "$HERE/fslist.py" "$IMAGES/$img/$img-docker.tar" > "$work/want" || { fail "fslist $img: oracle failed"; continue; }
  while read -r label path; do
    "$DD" ls -q "$path" 2>"$work/err" | sed -e 's|^/||' -e 's|/$||' | grep -v '^$' | sort > "$work/got"
    rc=${PIPESTATUS[0]}
    if [ "$rc" = 0 ] && cmp -s "$work/want" "$work/got"; then
      pass "fslist $img [$label]: $(wc -l < "$work/got") paths"
    else
      fail "fslist $img [$label]: exit $rc, $(diff "$work/want" "$work/got" | grep -c '^[<>]') differing lines: $(diff "$work/want" "$work/got" | head -3 | tr '\n' ' ')"
    fi
  done < <(image_forms "$img")
done
