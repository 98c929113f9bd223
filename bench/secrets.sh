#!/usr/bin/env bash
# bench/secrets.sh [DRYDOCK] - cost of the secret scanner on bookworm-big:
# `drydock inspect` (the plain walk) against `drydock scan --scanners
# secret` (the walk with every file offered to the secret engine, plus the
# image config), 5 alternating runs each, medians compared; peak RSS of
# the secret scan. Figures only.
set -eu
DD=${1:-build/drydock}
IMAGES=${DRYDOCK_TEST_IMAGES:-${XDG_CACHE_HOME:-$HOME/.cache}/drydock-test-images/out}
OCI=$IMAGES/${IMG:-bookworm-big}/oci
[ -d "$OCI" ] || { echo "bench/secrets.sh: $OCI missing (make-images.sh big)"; exit 2; }
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
cat "$OCI"/blobs/sha256/* > /dev/null
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
: > /tmp/dd-sec.walk; : > /tmp/dd-sec.scan
for _ in 1 2 3 4 5; do
  /usr/bin/time -f '%e %M' -o /tmp/dd-sec.t "$DD" inspect -q "$OCI" > /dev/null
  cat /tmp/dd-sec.t >> /tmp/dd-sec.walk
  /usr/bin/time -f '%e %M' -o /tmp/dd-sec.t "$DD" scan -q --scanners secret --format json "$OCI" > /tmp/dd-sec.json
  cat /tmp/dd-sec.t >> /tmp/dd-sec.scan
done
w=$(cut -d' ' -f1 /tmp/dd-sec.walk | median)
s=$(cut -d' ' -f1 /tmp/dd-sec.scan | median)
kb=$(cut -d' ' -f2 /tmp/dd-sec.scan | sort -n | tail -1)
printf 'walk (inspect):        %6.2f s (median of 5)\n' "$w"
printf 'walk + secrets:        %6.2f s (median of 5), peak RSS %d MiB, %s findings\n' "$s" $((kb / 1024)) \
  "$(jq '.findings | length' /tmp/dd-sec.json)"
printf 'ratio:                 %.2f (target <= 1.3; RSS target <= 256 MiB)\n' "$(echo "$s / $w" | bc -l)"
