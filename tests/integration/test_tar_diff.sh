#!/usr/bin/env bash
# tests/integration/test_tar_diff.sh - differential test of the tar reader
# (issue 23 section 1): for every tar the fuzz corpus, the smuggling
# generator and the crafted mal-* test images hold, the entry list drydock
# sees (build/tests/tar_list) equals Python's tarfile's (and GNU tar's
# where both accept it), or drydock reports why it differs
# (tests/integration/tar_diff.py). One PASS per group, a FAIL per file.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/integration/lib.sh"
BUILD=$(dirname "${DRYDOCK:-$ROOT/build/drydock}")
TL=$BUILD/tests/tar_list
[ -x "$TL" ] || { skip "tar diff: no $TL (ninja -C build)"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# group LABEL FILE...: FILE may be "PATH@SKIP"
group() {
  local label=$1 n=0 bad=0 f skip out
  shift
  for f in "$@"; do
    skip=0
    case $f in *@*) skip=${f##*@}; f=${f%@*} ;; esac
    n=$((n + 1))
    if ! out=$(python3 "$ROOT/tests/integration/tar_diff.py" "$TL" "$f" "$skip" 2>&1); then
      bad=$((bad + 1))
      fail "tar diff $label: $(basename "$f"): $out"
    fi
  done
  if [ "$n" = 0 ]; then
    skip "tar diff $label: no inputs"
  elif [ "$bad" = 0 ]; then
    pass "tar diff $label: $n tars, drydock's entry lists equal tarfile's (or the difference is reported)"
  fi
}

# the fuzz corpus: inputs start with the harness's chunk-size byte unless
# a ustar magic sits at offset 257 (seeds written as plain tars)
corpus=()
for f in "$ROOT"/tests/fuzz/corpus/fuzz_tar/*; do
  [ -f "$f" ] || continue
  if [ "$(dd if="$f" bs=1 skip=257 count=5 2>/dev/null | tr -d "\0")" = ustar ]; then
    corpus+=("$f@0")
  else
    corpus+=("$f@1")
  fi
done
group "fuzz corpus" "${corpus[@]}"

mkdir -p "$T/smuggle"
python3 "$ROOT/tests/tools/mksmuggle.py" "$T/smuggle" > /dev/null
group "smuggling forms" "$T"/smuggle/*.layer*.tar

# the crafted images' layer blobs (gzip or plain; tarfile reads no zstd)
blobs=()
for d in "$IMAGES"/mal-*/oci/blobs/sha256; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    magic=$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')
    case $magic in
      1f8b*) blobs+=("$f") ;;
      28b52ffd) ;;
      *) [ "$(dd if="$f" bs=1 skip=257 count=5 2>/dev/null | tr -d "\0")" = ustar ] && blobs+=("$f") ;;
    esac
  done
done
if [ ${#blobs[@]} = 0 ]; then
  skip "tar diff mal images: no test images at $IMAGES (make-images.sh small)"
else
  group "mal images" "${blobs[@]}"
fi
