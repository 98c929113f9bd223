#!/bin/bash
# tests/integration/rpm_images.sh DRYDOCK WORKDIR PKGDB_DUMP
# Builds small rpms with Debian's rpmbuild, installs them (--justdb) into
# SQLite rpmdbs, converts one to Berkeley DB hash files (both byte orders,
# small pages so headers spill into overflow chains) with db5.3_load, and
# checks drydock against `rpm -qa` on the databases and on two-layer
# images built from them. (Debian's rpm can only write SQLite rpmdbs, and
# its bdb_ro backend refuses db_load-made files, so the Berkeley DB copies
# are compared with rpm -qa of the SQLite database they were made from.)
set -u
. "$(dirname "$0")/lib.sh"
DD=$1 W=$2 DUMP=$3
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
mkdir -p "$W"/{top,root1/var/lib/rpm,root2/var/lib/rpm,root1/etc,out}
QF='%{NAME}|%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}|%{ARCH}\n'

spec() { # name version epoch license
  cat > "$W/top/$1-$2.spec" <<S
Name: $1
Version: $2
Release: 3.dd
${3:+Epoch: $3}
Summary: drydock test package $1
License: $4
Vendor: drydock tests
BuildArch: noarch
%description
test package
%install
mkdir -p %{buildroot}/usr/share/$1
echo $2 > %{buildroot}/usr/share/$1/VERSION
echo doc > %{buildroot}/usr/share/$1/README
%files
/usr/share/$1/VERSION
/usr/share/$1/README
S
  rpmbuild --quiet -bb --define "_topdir $W/top" "$W/top/$1-$2.spec" >/dev/null 2>&1
}
spec ddtest-alpha 1.0 2 "MIT"
spec ddtest-beta 4.5 "" "GPL-2.0-or-later AND BSD-3-Clause"
spec ddtest-alpha 1.1 2 "MIT"
RPMS=$W/top/RPMS/noarch
if [ ! -f "$RPMS/ddtest-alpha-1.1-3.dd.noarch.rpm" ]; then
  skip "rpm images: rpmbuild produced no packages"
  exit 0
fi
db1=$W/root1/var/lib/rpm db2=$W/root2/var/lib/rpm
rpm --dbpath "$db1" --initdb
rpm --dbpath "$db1" -i --justdb --nodeps --noscripts \
  "$RPMS/ddtest-alpha-1.0-3.dd.noarch.rpm" "$RPMS/ddtest-beta-4.5-3.dd.noarch.rpm" 2>/dev/null
cp -a "$db1/." "$db2/"
rpm --dbpath "$db2" -U --justdb --nodeps --noscripts "$RPMS/ddtest-alpha-1.1-3.dd.noarch.rpm" 2>/dev/null
for d in "$db1" "$db2"; do
  sqlite3 "$d/rpmdb.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  rm -f "$d"/rpmdb.sqlite-wal "$d"/rpmdb.sqlite-shm
done
rpm --dbpath "$db2" -qa --qf "$QF" | sort > "$W/out/want"

got() { # kind file
  "$DUMP" "$1" "$2" | jq -r '.packages[] | "\(.name)|\(if .epoch then .epoch + ":" else "" end)\(.upstream)-\(.release)|\(.arch)"' | sort
}
got sqlite "$db2/rpmdb.sqlite" > "$W/out/got"
if [ -s "$W/out/want" ] && cmp -s "$W/out/want" "$W/out/got"; then
  pass "rpmdb.sqlite built by rpm: $(wc -l < "$W/out/got") packages equal rpm -qa"
else
  fail "rpmdb.sqlite built by rpm: $(diff "$W/out/want" "$W/out/got" | tr '\n' ' ')"
fi

# db_load "print" input holding the header blobs of an SQLite rpmdb, keyed
# by header number in rpm's native (little-endian) order
load_text() { # rpmdb.sqlite out.txt
  python3 - "$1" "$2" <<'PY'
import sqlite3, struct, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT hnum, blob FROM Packages").fetchall()
esc = lambda b: "".join("\\%02x" % c for c in b)
with open(sys.argv[2], "w") as f:
    f.write("VERSION=3\nformat=print\ntype=hash\nHEADER=END\n")
    for hnum, blob in rows:
        f.write(" " + esc(struct.pack("<I", hnum)) + "\n " + esc(blob) + "\n")
    f.write("DATA=END\n")
PY
}

# Berkeley DB copies of the same headers
if command -v db5.3_load >/dev/null; then
  load_text "$db2/rpmdb.sqlite" "$W/out/load.txt"
  for order in 1234 4321; do
    bd=$W/bdb-$order; mkdir -p "$bd"
    # keys in rpm's native (little-endian) order; db_lorder sets the file's
    db5.3_load -c db_pagesize=512 -c db_lorder=$order -f "$W/out/load.txt" "$bd/Packages"
    got bdb "$bd/Packages" > "$W/out/got-bdb"
    if cmp -s "$W/out/want" "$W/out/got-bdb"; then
      pass "Berkeley DB Packages (byte order $order, 512-byte pages, overflow chains): equals rpm -qa"
    else
      fail "Berkeley DB Packages ($order): $(diff "$W/out/want" "$W/out/got-bdb" | tr '\n' ' ')"
    fi
    # every truncation of the file: a warning, never a crash
    sz=$(stat -c %s "$bd/Packages") bad=0
    for cut in 0 100 511 512 1000 $((sz / 2)) $((sz - 1)); do
      head -c "$cut" "$bd/Packages" > "$W/out/cut"
      out=$("$DUMP" bdb "$W/out/cut" 2>&1); r=$?
      if [ $r -ne 0 ] || ! echo "$out" | jq -e '.complete == false' >/dev/null; then bad=1; fi
    done
    [ $bad = 0 ] && pass "Berkeley DB ($order) truncated at 7 lengths: incomplete + warning, no crash" ||
      fail "Berkeley DB ($order) truncation handling"
  done
  cp "$W/bdb-1234/Packages" "$W/bdbimg-Packages"
else
  skip "Berkeley DB copies: db5.3_load not installed (Debian package db5.3-util)"
fi

# two-layer images: attribution of the upgrade to layer 1
mkimg() { # name os-release-text dbfile-in-layer2 target-name
  local n=$1 d=$W/img-$1
  mkdir -p "$d/l1/etc" "$d/l1/var/lib/rpm" "$d/l2/var/lib/rpm"
  printf '%s' "$2" > "$d/l1/etc/os-release"
  cp "$3" "$d/l1/var/lib/rpm/$5"
  cp "$4" "$d/l2/var/lib/rpm/$5"
  tar --sort=name --owner=0 --group=0 --mtime=@0 -C "$d/l1" -cf "$d/l1.tar" .
  tar --sort=name --owner=0 --group=0 --mtime=@0 -C "$d/l2" -cf "$d/l2.tar" .
  cat > "$d/spec.json" <<J
{"out": "$d/img", "name": "$n", "tag": "1", "layers": [
 {"tar": "$d/l1.tar", "created_by": "install alpha 1.0, beta"},
 {"tar": "$d/l2.tar", "created_by": "upgrade alpha to 1.1"}]}
J
  python3 "$ROOT/demo/mkimage.py" "$d/spec.json" >/dev/null
  "$DD" sbom "$d/img/oci" --format json -q > "$d/sbom.json"; echo $?
}
rc=$(mkimg fedora $'ID=fedora\nVERSION_ID=40\nPRETTY_NAME="Fedora Linux 40"\n' \
  "$db1/rpmdb.sqlite" "$db2/rpmdb.sqlite" rpmdb.sqlite)
d=$W/img-fedora
a=$(jq -r '.packages[] | select(.name=="ddtest-alpha") | "\(.version) \(.layer) \(.purl)"' "$d/sbom.json")
b=$(jq -r '.packages[] | select(.name=="ddtest-beta") | "\(.version) \(.layer) \(.license)"' "$d/sbom.json")
if [ "$rc" = 0 ] && [ "$a" = "2:1.1-3.dd 1 pkg:rpm/fedora/ddtest-alpha@1.1-3.dd?arch=noarch&distro=fedora-40&epoch=2" ] &&
   [ "$b" = "4.5-3.dd 0 GPL-2.0-or-later AND BSD-3-Clause" ]; then
  pass "rpm SQLite image: upgrade attributed to layer 1, purl with epoch qualifier"
else
  fail "rpm SQLite image: rc=$rc alpha '$a' beta '$b'"
fi
if [ -f "$W/bdbimg-Packages" ]; then
  # layer 1 gets the old state as BDB too
  load_text "$db1/rpmdb.sqlite" "$W/out/load1.txt"
  db5.3_load -f "$W/out/load1.txt" "$W/bdbimg-Packages-1"
  rc=$(mkimg centos $'ID="centos"\nVERSION_ID="7"\nPRETTY_NAME="CentOS Linux 7 (Core)"\n' \
    "$W/bdbimg-Packages-1" "$W/bdbimg-Packages" Packages)
  d=$W/img-centos
  a=$(jq -r '.packages[] | select(.name=="ddtest-alpha") | "\(.version) \(.layer)"' "$d/sbom.json")
  eol=$(jq -r '.os.eol' "$d/sbom.json")
  if [ "$rc" = 0 ] && [ "$a" = "2:1.1-3.dd 1" ] && [ "$eol" = true ]; then
    pass "rpm Berkeley DB image: upgrade attributed to layer 1, CentOS 7 flagged end of life"
  else
    fail "rpm Berkeley DB image: rc=$rc alpha '$a' eol '$eol'"
  fi
fi
