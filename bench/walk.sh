#!/usr/bin/env bash
# bench/walk.sh [DRYDOCK] - throughput of the single-pass layer engine.
# Builds bookworm-big with ../shared/tools/images/make-images.sh big if it is
# missing, then in one run times:
#   1. gzip -dc of every layer blob (the baseline)
#   2. sha256sum of every layer blob (I/O + hashing floor)
#   3. drydock ls --all-content: reads every blob, hashes it, decompresses
#      it, hashes the tar stream (diff_id), parses every entry and sha256s
#      every file's content
#   4. the package inventory's cost: `drydock inspect` (walk only) against
#      `drydock sbom` (walk + package analyzer + inventory), 5 alternating
#      runs each, medians compared
# and prints the ratio drydock/gzip and drydock's peak RSS. Figures only:
# nothing here passes or fails.
set -eu
DD=${1:-build/drydock}
IMAGES=${DRYDOCK_TEST_IMAGES:-${XDG_CACHE_HOME:-$HOME/.cache}/drydock-test-images/out}
IMG=${IMG:-bookworm-big}
OCI=$IMAGES/$IMG/oci
if [ ! -d "$OCI" ]; then
  MK=$(dirname "$0")/../../shared/tools/images/make-images.sh
  [ -f "$MK" ] || { echo "bench/walk.sh: $OCI missing and no make-images.sh"; exit 2; }
  bash "$MK" big
fi
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
blobs=$(jq -r '.layers[].digest' "$IMAGES/$IMG/info.json" | sed "s|sha256:|$OCI/blobs/sha256/|" | tr '\n' ' ')
stored=$(cat $blobs | wc -c)
# warm the page cache so that all three read from memory
cat $blobs > /dev/null
t() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
dec() { local b; for b in $blobs; do $1 -dc "$b"; done; }
case $(jq -r '.layers[0].mediaType' "$IMAGES/$IMG/info.json") in
  *zstd) base_name="zstd -dc"; base=$(t dec zstd);;
  *) base_name="gzip -dc"; base=$(t dec gzip);;
esac
sha=$(t sha256sum $blobs)
/usr/bin/time -f '%e %M' -o /tmp/dd-bench.time "$DD" ls -q --all-content "$OCI" > /dev/null
read -r dd_s dd_kb < /tmp/dd-bench.time
/usr/bin/time -f '%e %M' -o /tmp/dd-bench.time "$DD" ls -q "$OCI" > /dev/null
read -r walk_s walk_kb < /tmp/dd-bench.time
echo "image:                 $IMG ($(nproc) cores), $((stored >> 20)) MiB stored in $(echo $blobs | wc -w) layers"
printf '%-22s %6.2f s\n' "$base_name:" "$base"
printf '%-22s %6.2f s\n' "sha256sum of blobs:" "$sha"
printf '%-22s %6.2f s   peak RSS %d MiB\n' "drydock --all-content:" "$dd_s" $((dd_kb / 1024))
printf '%-22s %6.2f s   peak RSS %d MiB\n' "drydock ls (walk):" "$walk_s" $((walk_kb / 1024))
printf 'ratio drydock/%s:  %.3f (target <= 0.4)\n' "${base_name%% *}" "$(echo "$dd_s / $base" | bc -l)"
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
: > /tmp/dd-bench.walk; : > /tmp/dd-bench.sbom
for _ in 1 2 3 4 5; do
  /usr/bin/time -f '%e %M' -o /tmp/dd-bench.time "$DD" inspect -q "$OCI" > /dev/null
  cat /tmp/dd-bench.time >> /tmp/dd-bench.walk
  /usr/bin/time -f '%e %M' -o /tmp/dd-bench.time "$DD" sbom -q "$OCI" > /tmp/dd-bench.out
  cat /tmp/dd-bench.time >> /tmp/dd-bench.sbom
done
w_med=$(cut -d' ' -f1 /tmp/dd-bench.walk | median)
s_med=$(cut -d' ' -f1 /tmp/dd-bench.sbom | median)
s_kb=$(cut -d' ' -f2 /tmp/dd-bench.sbom | median)
printf '%-22s %6.2f s   (median of 5)\n' "drydock inspect:" "$w_med"
printf '%-22s %6.2f s   peak RSS %d MiB, %s\n' "drydock sbom:" "$s_med" $((s_kb / 1024)) \
  "$(tail -1 /tmp/dd-bench.out)"
printf 'inventory overhead:    %+.1f %% (target <= 5 %%)\n' "$(echo "($s_med - $w_med) * 100 / $w_med" | bc -l)"
