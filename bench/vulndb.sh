#!/usr/bin/env bash
# bench/vulndb.sh [BUILD_DIR] - vulnerability database figures:
#   1. import rate: `drydock db import` of a synthetic osv.dev-style
#      all.zip with N advisories (default 500,000), records per second
#   2. matching: dd_vuln_match() of an image with 1,000 dpkg packages
#      against that database (tests/tools/vuln_bench, median of 7 runs);
#      HIT (default 0.1) of the advisories are unfixed in the image, as in
#      a maintained image; HIT=0.5 is a stress case with ~10x the findings
# Figures only; nothing passes or fails. Work files go to $BENCH_DIR
# (default ~/.cache/drydock-bench).
set -eu
B=${1:-build}
N=${N:-500000}
P=${P:-1000}
HIT=${HIT:-0.1}
W=${BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/drydock-bench}/vulndb-$N-$P-$HIT
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$W"
if [ ! -f "$W/osv-synthetic.zip" ]; then
  echo "generating $N advisories and a $P-package image in $W ..."
  python3 "$HERE/gen_vulndb.py" "$W" "$N" "$P" "$HIT"
fi
if [ ! -f "$W/img/oci/index.json" ]; then
  tar --sort=name --owner=0 --group=0 --mtime=@0 -C "$W/rootfs" -cf "$W/l.tar" .
  echo "{\"out\": \"$W/img\", \"name\": \"bench\", \"tag\": \"1\", \"layers\": [{\"tar\": \"$W/l.tar\", \"created_by\": \"bench\"}]}" > "$W/spec.json"
  python3 "$HERE/../demo/mkimage.py" "$W/spec.json" > /dev/null
fi
rm -f "$W/bench.db"
s=$(date +%s.%N)
"$B/drydock" db import --db "$W/bench.db" "$W/osv-synthetic.zip" > "$W/import.out"
e=$(date +%s.%N)
secs=$(echo "$e - $s" | bc)
echo "import:   $N OSV records in $(printf %.2f "$secs") s = $(echo "$N / $secs" | bc) records/s (target >= 20000); DB $(du -m "$W/bench.db" | cut -f1) MiB"
"$B/tests/vuln_bench" "$W/img/oci" "$W/bench.db" 7 | awk '{printf "matching: %d packages against %s advisories (hit rate %s): median %.1f ms (min %.1f ms), %d findings (target < 50 ms)\n", $2, "'"$N"'", "'"$HIT"'", $6, $8, $4}'
