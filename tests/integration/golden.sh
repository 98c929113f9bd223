#!/usr/bin/env bash
# tests/integration/golden.sh [update] - the JSON and SARIF reports of the
# `risky` and `alpine-3.20` images, with volatile fields normalised
# (database path and age, the image's path on this machine, and what
# depends on the keys make-images.sh generates afresh on each machine:
# the manifest digest, the key findings' evidence), compared
# with tests/data/golden/*. `update` rewrites the golden files after an
# intended change to the report format (review the diff!).
# The vulnerability database is the Alpine secdb snapshot in ../shared.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
DD=${DRYDOCK:-build/drydock}
MODE=${1:-check}
SECDB=../shared/data/feeds/alpine-secdb-2020
if [ ! -d "$SECDB" ]; then
  skip "golden reports: $SECDB is absent"
  exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$DD" db import --db "$T/db" "$SECDB" > /dev/null 2>&1 || { fail "golden: db import failed"; exit 0; }
normalise() { # format file
  if [ "$1" = json ]; then
    jq -S '.image.name = "IMAGE" | .database.path = "DB" | .database.age_seconds = 0 | .drydock_version = "VERSION" | (.. | objects | select(has("layer_digest")) | .layer_digest) |= (if . == null then . else "sha256:LAYER" end) | (.. | objects | select(has("manifest_digest")) | .manifest_digest) |= "sha256:MANIFEST" | (.. | objects | select((.id? | type) == "string" and (.id | test("^(private-key|ssh-authorized|authorized-key)"))) | .evidence) |= "RANDOM KEY"' "$2"
  else
    jq -S '.runs[0].tool.driver.version = "VERSION" | (.runs[0].results[].message.text) |= sub("Image: .*$"; "Image: IMAGE")' "$2"
  fi
}
for img in risky alpine-3.20; do
  tar=$IMAGES/$img/$img-oci.tar
  if [ ! -f "$tar" ]; then
    skip "golden $img: image not built"
    continue
  fi
  for fmt in json sarif; do
    "$DD" scan -q --db "$T/db" --db-max-age 100000 --format "$fmt" "$tar" > "$T/out" 2> "$T/err"
    normalise "$fmt" "$T/out" > "$T/norm" || { fail "golden $img $fmt: not JSON: $(head -c 200 "$T/out")"; continue; }
    g=tests/data/golden/$img.$fmt
    if [ "$MODE" = update ]; then
      cp "$T/norm" "$g"
      echo "updated $g"
    elif [ ! -f "$g" ]; then
      fail "golden $img $fmt: $g is missing (bash tests/integration/golden.sh update)"
    elif diff -u "$g" "$T/norm" > "$T/diff"; then
      pass "golden $img $fmt: report equals $g"
    else
      fail "golden $img $fmt: report differs from $g: $(head -c 600 "$T/diff" | tr '\n' ' ')"
    fi
  done
done
