#!/usr/bin/env bash
# bench/linear.sh [DRYDOCK] - how time and memory grow when each hostile
# input of issue 23 section 3 doubles (tests/tools/mkflood.py kinds). For
# each kind it scans sizes S, 2S and 4S and prints seconds, peak RSS and
# the ratio to the previous size: a linear cost doubles (ratio ~2), a
# quadratic one quadruples. The reference in the same run is `cat` of the
# same image (reading the bytes). Figures only: nothing passes or fails.
set -eu
DD=${1:-build/drydock}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
command -v /usr/bin/time > /dev/null || { echo "bench/linear.sh: needs /usr/bin/time (Debian package time)"; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# seconds and peak KB of one command
measure() {
  /usr/bin/time -f "%e %M" -o "$T/tm" "$@" > /dev/null 2>&1 || true
  cat "$T/tm" | tail -1
}
printf "%-9s %6s %9s %9s %7s %9s %7s\n" kind MiB "cat s" "scan s" ratio "RSS KB" ratio
# kind:scanners:command:sizes
for spec in pem:secret:scan:4,8,16 password:secret:scan:4,8,16 \
            keywords:secret:scan:4,8,16 findings:secret:scan:2,4,8 \
            deep:secret,config:scan:1,2,4 dpkgdup:packages:sbom:2,4,8; do
  IFS=: read -r kind scanners cmd sizes <<< "$spec"
  prev_t="" prev_m=""
  for mib in ${sizes//,/ }; do
    python3 "$ROOT/tests/tools/mkflood.py" "$kind" "$mib" "$T/in.tar" > /dev/null
    read -r ct _ <<< "$(measure cat "$T/in.tar")"
    args=(--format json)
    [ "$cmd" = scan ] && args+=(--scanners "$scanners")
    read -r st sm <<< "$(measure "$DD" "$cmd" "${args[@]}" "$T/in.tar")"
    rt=- rm=-
    if [ -n "$prev_t" ]; then
      rt=$(echo "scale=2; $st / ($prev_t + 0.01)" | bc)
      rm=$(echo "scale=2; $sm / $prev_m" | bc)
    fi
    printf "%-9s %6s %9s %9s %7s %9s %7s\n" "$kind" "$mib" "$ct" "$st" "$rt" "$sm" "$rm"
    prev_t=$st prev_m=$sm
  done
done
