#!/bin/bash
# tests/integration/test_distro_ns.sh - detected OS -> advisory namespaces
# (lib/eco/distro.c, docs/namespaces.md). Builds small rpms with Debian's
# rpmbuild (one with an rpm modularity label), installs them into SQLite
# rpmdbs, writes apk and dpkg databases by hand, and makes one-layer images
# whose etc/os-release claims each distribution. The OSV records are
# written here, one per vendor ecosystem, and imported; each scan must find
# the advisory under the vendor's namespace.
set -u
. "$(dirname "$0")/lib.sh"
DD=${DRYDOCK_ASAN:-$DRYDOCK}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! command -v rpmbuild >/dev/null || ! command -v rpm >/dev/null; then
  skip "distro namespaces: rpmbuild/rpm not installed (Debian package rpm)"
  exit 0
fi

# ---- packages
spec() { # name version release [modularity label]
  cat > "$T/$1-$2-$3.spec" <<S
Name: $1
Version: $2
Release: $3
Summary: drydock test package $1
License: MIT
BuildArch: noarch
%description
test package
%files
S
  rpmbuild --quiet -bb --define "_topdir $T/top" ${4:+--define "modularitylabel $4"} \
    "$T/$1-$2-$3.spec" >/dev/null 2>&1
}
spec ddlib 1.0 1
spec ddnode 18.1 1
spec ddnode 18.1 1.module "ddnode:18:8070020230306:bd1311ed"
R=$T/top/RPMS/noarch
if [ ! -f "$R/ddnode-18.1-1.module.noarch.rpm" ]; then
  skip "distro namespaces: rpmbuild produced no packages"
  exit 0
fi
rpmdb() { # dir rpm...
  local d=$1; shift
  mkdir -p "$d/var/lib/rpm"
  rpm --dbpath "$d/var/lib/rpm" --initdb
  rpm --dbpath "$d/var/lib/rpm" -i --justdb --nodeps --noscripts "$@" 2>/dev/null
  sqlite3 "$d/var/lib/rpm/rpmdb.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  rm -f "$d"/var/lib/rpm/rpmdb.sqlite-wal "$d"/var/lib/rpm/rpmdb.sqlite-shm
}
rpmdb "$T/plain" "$R/ddlib-1.0-1.noarch.rpm" "$R/ddnode-18.1-1.noarch.rpm"
rpmdb "$T/modular" "$R/ddlib-1.0-1.noarch.rpm" "$R/ddnode-18.1-1.module.noarch.rpm"
mkdir -p "$T/apk/lib/apk/db" "$T/deb/var/lib/dpkg"
printf 'P:ddapk\nV:1.0-r0\nA:x86_64\no:ddapk\n\n' > "$T/apk/lib/apk/db/installed"
printf 'Package: ddtool\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\n' \
  > "$T/deb/var/lib/dpkg/status"

# image NAME BASE(plain|modular|apk|deb) ID VERSION_ID
image() {
  local d=$T/img-$1
  mkdir -p "$d/root/etc"
  cp -a "$T/$2/." "$d/root/"
  printf 'ID=%s\nVERSION_ID="%s"\nPRETTY_NAME="%s %s"\n' "$3" "$4" "$3" "$4" > "$d/root/etc/os-release"
  tar --sort=name --owner=0 --group=0 --mtime=@0 -C "$d/root" -cf "$d/l.tar" .
  printf '{"out": "%s", "name": "%s", "tag": "1", "layers": [{"tar": "%s", "created_by": "test"}]}\n' \
    "$d" "$1" "$d/l.tar" > "$d/spec.json"
  python3 "$ROOT/demo/mkimage.py" "$d/spec.json" >/dev/null
}

# ---- OSV records, one per vendor ecosystem
mkdir -p "$T/osv"
rec() { # id ecosystem package fixed|"-" (open) [purl]
  local ev='{"introduced": "0"}'
  [ "$4" != - ] && ev="$ev, {\"fixed\": \"$4\"}"
  local purl=""
  [ -n "${5:-}" ] && purl=", \"purl\": \"$5\""
  cat > "$T/osv/$1.json" <<J
{"schema_version": "1.6.0", "id": "$1", "modified": "2026-11-01T00:00:00Z",
 "published": "2026-10-01T00:00:00Z", "summary": "test advisory $1",
 "aliases": ["CVE-2026-$RANDOM$RANDOM"],
 "affected": [{"package": {"ecosystem": "$2", "name": "$3"$purl},
   "ranges": [{"type": "ECOSYSTEM", "events": [$ev]}]}]}
J
}
rec RHSA-2026:0001 "Red Hat:enterprise_linux:8::baseos" ddlib 1.2-1
rec RLSA-2026:0002 "Rocky Linux:8" ddlib 1.1-1
rec RHSA-2026:0003 "Red Hat:enterprise_linux:8::appstream" ddnode 18.2-1.module \
  "pkg:rpm/redhat/ddnode?arch=src&rpmmod=ddnode:18:8070020230306:bd1311ed"
rec RHSA-2026:0004 "Red Hat:enterprise_linux:8::appstream" ddnode 18.5-1
# module builds in feeds that carry no stream (no rpmmod): by release
rec RLSA-2026:0012 "Rocky Linux:8" ddnode 18.3-1.module+el8.9.0+1+ab
rec RHSA-2026:0013 "Red Hat:enterprise_linux:8::appstream" ddnode 18.9-1.module+el8.9.0+9+ff
rec SUSE-SU-2026:0005-1 "SUSE:Linux Enterprise Server 15 SP5" ddlib 1.5-1
rec openSUSE-SU-2026:0006-1 "openSUSE:Leap 15.5" ddlib 1.6-1
rec PHSA-2026-5.0-0007 "Photon OS:5.0" ddlib 1.7-1
rec AZL-2026-0008 "Azure Linux:3" ddlib 1.8-1
rec RHSA-2026:0009 "Red Hat:enterprise_linux:9::baseos" ddlib 1.9-1
rec CGA-2026-0010 "Wolfi" ddapk 1.1-r0
# one Ubuntu record: no fix in the archive, a fix in Ubuntu Pro (ESM)
cat > "$T/osv/UBUNTU-CVE-2026-0011.json" <<'J'
{"id": "UBUNTU-CVE-2026-0011", "modified": "2026-11-01T00:00:00Z",
 "summary": "test advisory fixed in ESM only",
 "affected": [{"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "ddtool"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]},
  {"package": {"ecosystem": "Ubuntu:Pro:22.04:LTS", "name": "ddtool"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0-1ubuntu0.1+esm1"}]}]}]}
J
DB=$T/db/drydock.db
"$DD" db import --db "$DB" "$T/osv" > /dev/null 2> "$T/imp.err"; rc=$?
"$DD" db info --db "$DB" --format json > "$T/info.json"
nss=$(jq -r '.feeds[].namespaces' "$T/info.json" | tr ',' '\n' | sort | tr '\n' ' ')
want="azurelinux:3 opensuse-leap:15.5 photon:5.0 redhat:8 redhat:8::ddnode:18 redhat:9 rocky:8 sles:15.5 ubuntu-pro:22.04 ubuntu:22.04 wolfi "
if [ $rc = 0 ] && [ "$nss" = "$want" ]; then
  pass "db import of 13 OSV distro ecosystems: db info lists the namespaces the scan looks up"
else
  fail "db import/info: rc=$rc namespaces '$nss' want '$want' $(head -3 "$T/imp.err")"
fi

# scan NAME -> "id=status=fixed=namespace ..." for the findings
scan() {
  "$DD" scan -q --scanners vuln --db "$DB" --db-max-age 30 --format json "$T/img-$1/oci" > "$T/$1.json" 2>/dev/null
  jq -r '[.findings[] | select(.vulnerability) | "\(.id)@\(.vulnerability.package)=\(.vulnerability.status)=\(.vulnerability.fixed_version)=\(.vulnerability.namespace)"] | sort | join(" ")' "$T/$1.json"
}
check() { # label image want
  local got; got=$(scan "$2")
  if [ "$got" = "$3" ]; then pass "$1"; else fail "$1: got '$got' want '$3'"; fi
}
id_of() { echo "$1"; }

image centos8 plain centos 8
image rhel8 plain rhel 8.7
image rocky8 plain rocky 8.9
image alma8 plain almalinux 8.9
image rhel8mod modular rhel 8.7
image rocky8mod modular rocky 8.9
image rhel9 plain rhel 9.2
image sles155 plain sles 15.5
image sles154 plain sles 15.4
image leap155 plain opensuse-leap 15.5
image photon5 plain photon 5.0
image azl3 plain azurelinux 3.0
image wolfi apk wolfi 20230201
image chainguard apk chainguard 20230214
image ubuntu2204 deb ubuntu 22.04
image nosuch plain nosuchos 4.2
# a RHEL rebuild the table does not name: ID_LIKE decides
image eurolinux plain eurolinux 8.9
printf 'ID_LIKE="rhel fedora centos"\n' >> "$T/img-eurolinux/root/etc/os-release"
image_retar() { # name: rebuild after editing root/
  local d=$T/img-$1
  tar --sort=name --owner=0 --group=0 --mtime=@0 -C "$d/root" -cf "$d/l.tar" .
  python3 "$ROOT/demo/mkimage.py" "$d/spec.json" >/dev/null
}
image_retar eurolinux

A1=$(id_of RHSA-2026:0001) A2=$(id_of RLSA-2026:0002) A3=$(id_of RHSA-2026:0003) A4=$(id_of RHSA-2026:0004)
check "CentOS 8 image finds the Red Hat 8 advisory (redhat:8)" centos8 \
  "$A1@ddlib=fixed=1.2-1=redhat:8 $A4@ddnode=fixed=18.5-1=redhat:8"
check "RHEL 8.7 image: major-version namespace redhat:8; module builds never apply to the non-modular ddnode" rhel8 \
  "$A1@ddlib=fixed=1.2-1=redhat:8 $A4@ddnode=fixed=18.5-1=redhat:8"
check "Rocky 8 image prefers its own advisory (rocky:8), Red Hat's where Rocky has none" rocky8 \
  "$A4@ddnode=fixed=18.5-1=redhat:8 $A2@ddlib=fixed=1.1-1=rocky:8"
check "AlmaLinux 8 image without Alma data falls back to redhat:8" alma8 \
  "$A1@ddlib=fixed=1.2-1=redhat:8 $A4@ddnode=fixed=18.5-1=redhat:8"
check "modular ddnode (ddnode:18 label) gets only the module stream's advisory" rhel8mod \
  "$A1@ddlib=fixed=1.2-1=redhat:8 $A3@ddnode=fixed=18.2-1.module=redhat:8::ddnode:18"
check "Rocky modular package: Rocky's module build (no stream in the feed) before Red Hat's" rocky8mod \
  "$A2@ddlib=fixed=1.1-1=rocky:8 RLSA-2026:0012@ddnode=fixed=18.3-1.module+el8.9.0+1+ab=rocky:8"
check "RHEL 9 image: redhat:9 only, not redhat:8" rhel9 "$(id_of RHSA-2026:0009)@ddlib=fixed=1.9-1=redhat:9"
check "SLES 15 SP5 finds the 'SUSE:Linux Enterprise Server 15 SP5' record (sles:15.5)" sles155 \
  "$(id_of SUSE-SU-2026:0005-1)@ddlib=fixed=1.5-1=sles:15.5"
check "SLES 15 SP4 does not get the SP5 record" sles154 ""
check "openSUSE Leap 15.5 (opensuse-leap:15.5)" leap155 "$(id_of openSUSE-SU-2026:0006-1)@ddlib=fixed=1.6-1=opensuse-leap:15.5"
check "Photon OS 5.0 (photon:5.0, minor version)" photon5 "$(id_of PHSA-2026-5.0-0007)@ddlib=fixed=1.7-1=photon:5.0"
check "Azure Linux 3.0 (azurelinux:3)" azl3 "$(id_of AZL-2026-0008)@ddlib=fixed=1.8-1=azurelinux:3"
check "Wolfi (apk order)" wolfi "$(id_of CGA-2026-0010)@ddapk=fixed=1.1-r0=wolfi"
check "Chainguard without its own record uses Wolfi's" chainguard "$(id_of CGA-2026-0010)@ddapk=fixed=1.1-r0=wolfi"
check "Ubuntu 22.04: unfixed in the archive, fixed in Ubuntu Pro is status fixed_esm" ubuntu2204 \
  "$(id_of UBUNTU-CVE-2026-0011)@ddtool=fixed_esm=1.0-1ubuntu0.1+esm1=ubuntu:22.04"

w=$(jq -r '.warnings[]' "$T/sles154.json" | grep 'no imported feed covers')
if echo "$w" | grep -q 'covers sles:15.4:'; then
  pass "SLES 15 SP4 without data: the warning names sles:15.4"
else
  fail "SLES 15.4 warning: '$w'"
fi
check "unknown ID with ID_LIKE=\"rhel ...\": matched as RHEL 8 (redhat:8)" eurolinux \
  "$A1@ddlib=fixed=1.2-1=redhat:8 $A4@ddnode=fixed=18.5-1=redhat:8"
check "unknown distribution: nothing matched" nosuch ""
w=$(jq -r '.warnings[]' "$T/nosuch.json" | grep 'no imported feed covers')
if echo "$w" | grep -q 'covers nosuchos:4: ' && echo "$w" | grep -q 'no namespace rules for os-release ID "nosuchos"'; then
  pass "unknown distribution: the warning names the namespace looked for and the unknown ID"
else
  fail "unknown distribution warning: '$w'"
fi
if ! jq -r '.warnings[]' "$T/rocky8.json" | grep -q 'no imported feed covers' &&
   ! jq -r '.warnings[]' "$T/alma8.json" | grep -q 'no imported feed covers'; then
  pass "Rocky and Alma images: no coverage warning (Red Hat's data covers them)"
else
  fail "Rocky/Alma coverage warnings: $(jq -r '.warnings[]' "$T/alma8.json")"
fi
# the table output keeps every namespace (no truncation)
"$DD" db info --db "$DB" > "$T/info.txt"
if grep -q 'redhat:8::ddnode:18' "$T/info.txt" && grep -q 'wolfi' "$T/info.txt"; then
  pass "db info table lists every namespace of the feed"
else
  fail "db info table: $(cat "$T/info.txt")"
fi
# --ignore-unfixed keeps a fix that exists in Ubuntu Pro (ESM) only
"$DD" scan -q --scanners vuln --db "$DB" --db-max-age 30 --ignore-unfixed --format json \
  "$T/img-ubuntu2204/oci" > "$T/u.json" 2>/dev/null
if [ "$(jq -r '[.findings[] | select(.vulnerability) | .vulnerability.status] | join(" ")' "$T/u.json")" = fixed_esm ]; then
  pass "--ignore-unfixed keeps a fixed_esm finding (a fix exists, in Ubuntu Pro)"
else
  fail "--ignore-unfixed and fixed_esm: $(jq -c '.findings' "$T/u.json" | head -c 300)"
fi
# db match takes the same namespaces and their version order
m1=$("$DD" db match --db "$DB" sles:15.5 ddlib 1.0-1 2>&1)
m2=$("$DD" db match --db "$DB" redhat:8::ddnode:18 ddnode 18.1-1.module 2>&1)
m3=$("$DD" db match --db "$DB" sles:15.5 ddlib 1.5-1 2>&1)
if echo "$m1" | grep -q 'SUSE-SU-2026:0005-1' && echo "$m2" | grep -q 'RHSA-2026:0003' &&
   ! echo "$m3" | grep -q 'SUSE-SU-2026:0005-1'; then
  pass "db match: sles:15.5 and redhat:8::ddnode:18 with rpm order (fixed version not reported)"
else
  fail "db match: '$m1' / '$m2' / '$m3'"
fi

# ---- the rpmdb fixtures of ../shared (NDB from SLE 15 BCI, SQLite from
# CBL-Mariner 2.0) under the distributions they come from
FX=$ROOT/../shared/data/pkgdb/rpmdb-fixtures
if [ -f "$FX/sle15-bci/Packages.db" ] && [ -f "$FX/cbl-mariner-2.0/rpmdb.sqlite" ]; then
  mkdir -p "$T/fx-sle/var/lib/rpm" "$T/fx-cbl/var/lib/rpm" "$T/osv2"
  cp "$FX/sle15-bci/Packages.db" "$T/fx-sle/var/lib/rpm/Packages.db"
  cp "$FX/cbl-mariner-2.0/rpmdb.sqlite" "$T/fx-cbl/var/lib/rpm/rpmdb.sqlite"
  image sle-ndb fx-sle sles 15.4
  image cbl-sqlite fx-cbl mariner 2.0
  rm -f "$T"/osv/*.json
  rec SUSE-SU-2026:0101-1 "SUSE:Linux Enterprise Module for Basesystem 15 SP4" filesystem 15.0-11.4.1
  rec CBL-Mariner-2026-0102 "CBL-Mariner:2.0" curl 7.76.0-7.cm2
  "$DD" db import --db "$T/db2/drydock.db" "$T/osv" > /dev/null 2>&1
  DB=$T/db2/drydock.db
  check "SLE 15 SP4 BCI rpmdb (NDB): Basesystem module record found under sles:15.4" sle-ndb \
    "SUSE-SU-2026:0101-1@filesystem=fixed=15.0-11.4.1=sles:15.4"
  check "CBL-Mariner 2.0 rpmdb (SQLite): CBL-Mariner:2.0 record under azurelinux:2, curl and curl-libs by source rpm" cbl-sqlite \
    "CBL-Mariner-2026-0102@curl-libs=fixed=7.76.0-7.cm2=azurelinux:2 CBL-Mariner-2026-0102@curl=fixed=7.76.0-7.cm2=azurelinux:2"
else
  skip "distro namespaces on the ../shared rpmdb fixtures: ../shared/data/pkgdb absent"
fi
