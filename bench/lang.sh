#!/usr/bin/env bash
# bench/lang.sh [DRYDOCK] - what the language inventory costs (issue 15:
# "language inventory adds at most 10% to the full default scan of
# bookworm-big and of node-app"). For each image, in one run, 5
# alternating runs each of the full default scan (every scanner, every
# package) and the same scan with --pkg-types os (no application packages
# from metadata, binaries or lockfiles), both against one database built
# from ../shared/data/feeds; medians compared. Builds bookworm-big with
# ../shared/tools/images/make-images.sh big if it is missing. Prints the
# ratios and peak RSS; figures only: nothing here passes or fails.
set -eu
DD=${1:-build/drydock}
HERE=$(cd "$(dirname "$0")" && pwd)
IMAGES=${DRYDOCK_TEST_IMAGES:-${XDG_CACHE_HOME:-$HOME/.cache}/drydock-test-images/out}
FEEDS=$HERE/../../shared/data/feeds
RUNS=${RUNS:-5}
if [ ! -d "$IMAGES/bookworm-big/oci" ]; then
  MK=$HERE/../../shared/tools/images/make-images.sh
  [ -f "$MK" ] || { echo "bench/lang.sh: bookworm-big missing and no make-images.sh"; exit 2; }
  bash "$MK" big
fi
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if [ -d "$FEEDS" ]; then
  "$DD" db import --db "$T/db" "$FEEDS"/* > /dev/null 2>&1
  DBO=(--db "$T/db" --db-max-age 36500 --skip-db-update)
else
  echo "bench/lang.sh: no $FEEDS: scans without the vuln scanner"
  DBO=(--scanners secret,malware,config)
fi
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
echo "drydock: $DD ($(nproc) cores), $RUNS alternating runs each, medians"
for img in bookworm-big node-app; do
  OCI=$IMAGES/$img/oci
  [ -d "$OCI" ] || { echo "$img: no image at $OCI"; continue; }
  cat "$OCI"/blobs/sha256/* > /dev/null # warm the page cache
  : > "$T/full"; : > "$T/os"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$T/t" "$DD" scan -q "${DBO[@]}" -f json -o "$T/full.json" "$OCI" || true
    tail -1 "$T/t" >> "$T/full"
    /usr/bin/time -f '%e %M' -o "$T/t" "$DD" scan -q "${DBO[@]}" --pkg-types os -f json -o "$T/os.json" "$OCI" || true
    tail -1 "$T/t" >> "$T/os"
  done
  f=$(cut -d' ' -f1 "$T/full" | median) o=$(cut -d' ' -f1 "$T/os" | median)
  fk=$(cut -d' ' -f2 "$T/full" | median) ok=$(cut -d' ' -f2 "$T/os" | median)
  pf=$(jq '.packages_checked' "$T/full.json") po=$(jq '.packages_checked' "$T/os.json")
  printf '%-13s default scan   %6.2f s  peak RSS %4d MiB  %s packages checked\n' "$img:" "$f" $((fk / 1024)) "$pf"
  printf '%-13s --pkg-types os %6.2f s  peak RSS %4d MiB  %s packages checked\n' "" "$o" $((ok / 1024)) "$po"
  printf '%-13s ratio default/os: %.3f (language inventory %+.1f%%; target <= +10%%)\n' "" \
    "$(echo "$f / $o" | bc -l)" "$(echo "($f - $o) * 100 / $o" | bc -l)"
done
