#!/usr/bin/env bash
# tests/integration/test_readme.sh [update] - every README example marked
# `<!-- example: ... -->` is the program's real output on the test images
# (tests/integration/readme.py). `update` rewrites the README after an
# intended change of output (review the diff).
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
DD=${DRYDOCK:-build/drydock}
case $DD in /*) ;; *) DD=$PWD/$DD ;; esac
SHARED=$(cd .. && pwd)/shared
for img in risky bookworm-stale-dpkg alpine-3.20; do
  if [ ! -d "$IMAGES/$img" ]; then
    skip "readme examples: test image $img is absent (make-images.sh small)"
    exit 0
  fi
done
if [ ! -d "$SHARED/data/feeds" ]; then
  skip "readme examples: $SHARED/data/feeds is absent"
  exit 0
fi
exec python3 tests/integration/readme.py "${1:-check}" "$DD" "$IMAGES" "$SHARED"
