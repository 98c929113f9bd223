#!/bin/bash
# tests/integration/test_fsinput.sh - rootfs:DIR and fs:PATH inputs
# (issue 15 item 2), read by src/lib/formats/dirtree.c as one layer:
#  - the official Alpine 3.20 minirootfs unpacked here: `sbom rootfs:`
#    lists the same apk packages, and `ls rootfs:` the same files (type,
#    mode, owner, size, link target) as the alpine-3.20 image whose one
#    layer is that tarball byte for byte
#  - the debootstrap tree make-images.sh leaves (work/rootfs-bookworm):
#    the same dpkg packages as the bookworm-minbase image built from it
#  - a secret planted in a copy is found by `scan fs:DIR --scanners
#    secret`; one outside the tree behind a symlink (and a link to
#    /etc/shadow) is never read; fs:FILE scans one file
#  - reports name the source ("rootfs:/path") where an image has digests;
#    no config checks on a tree without config; inspect/ls work
#  - bad input: one line on stderr, exit 3
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
WORKDIR=${DRYDOCK_TEST_WORK:-$(dirname "$IMAGES")/work}

pkgs() { jq -r '.packages[] | "\(.type) \(.name) \(.version) \(.arch)"' "$1" | sort; }
files() { jq -r '.entries[] | "\(.path) \(.type) \(.mode) \(.uid):\(.gid) \(.size) \(.link // "-")"' "$1" | sort; }

# ---- Alpine: the official minirootfs, unpacked, against its image
TGZ=$ROOT/../shared/data/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz
IMG=$IMAGES/alpine-3.20/alpine-3.20-oci.tar
A=$T/alpine
if [ -f "$TGZ" ] && [ -f "$IMG" ]; then
  mkdir -p "$A"
  tar -xzf "$TGZ" -C "$A" --numeric-owner
  "$DD" sbom -q rootfs:"$A" --format json > "$T/a-fs.json"; rc1=$?
  "$DD" sbom -q "$IMG" --format json > "$T/a-img.json"; rc2=$?
  pkgs "$T/a-fs.json" > "$T/a-fs.txt"
  pkgs "$T/a-img.json" > "$T/a-img.txt"
  n=$(wc -l < "$T/a-fs.txt")
  if [ $rc1 = 0 ] && [ $rc2 = 0 ] && [ "$n" -gt 10 ] && cmp -s "$T/a-fs.txt" "$T/a-img.txt"; then
    pass "alpine-3.20 rootfs: sbom rootfs:DIR lists the $n apk packages of the image built from the same tarball"
  else
    fail "alpine rootfs sbom: rc=$rc1/$rc2 n=$n $(diff "$T/a-fs.txt" "$T/a-img.txt" | head -5 | tr '\n' ' ')"
  fi
  nm=$(jq -r '.image' "$T/a-fs.json")
  [ "$nm" = "rootfs:$A" ] && pass "sbom JSON names the source ($nm) instead of an image digest" ||
    fail "sbom image name: '$nm'"
  if [ "$(id -u)" = 0 ]; then
    "$DD" ls -q rootfs:"$A" --format json > "$T/l-fs.json"; rc1=$?
    "$DD" ls -q "$IMG" --format json > "$T/l-img.json"; rc2=$?
    files "$T/l-fs.json" > "$T/l-fs.txt"
    files "$T/l-img.json" > "$T/l-img.txt"
    n=$(wc -l < "$T/l-fs.txt")
    if [ $rc1 = 0 ] && [ $rc2 = 0 ] && [ "$n" -gt 100 ] && cmp -s "$T/l-fs.txt" "$T/l-img.txt"; then
      pass "alpine-3.20 rootfs: ls rootfs:DIR gives the image's $n entries (type, mode, owner, size, link target)"
    else
      fail "alpine rootfs ls: rc=$rc1/$rc2 n=$n $(diff "$T/l-fs.txt" "$T/l-img.txt" | head -5 | tr '\n' ' ')"
    fi
  else
    skip "ls rootfs: owners only match the image when unpacked as root"
  fi
  # the table header and the JSON name say the source; a tree has no
  # config, so no config checks (USER, HEALTHCHECK, latest tag) run on it
  "$DD" scan -q rootfs:"$A" --scanners secret,malware,config,packages > "$T/a.txt"; rc=$?
  "$DD" scan -q rootfs:"$A" --scanners secret,malware,config,packages --format json > "$T/a.json"
  head1=$(head -1 "$T/a.txt")
  nm=$(jq -r '.image.name' "$T/a.json")
  cfg=$(jq -r '[.findings[] | select(.id | test("^config\\.(user-root|no-healthcheck|latest-tag)"))] | length' "$T/a.json")
  if [ $rc = 0 ] && [ "$head1" = "rootfs:$A (alpine 3.20.3)" ] && [ "$nm" = "rootfs:$A" ] && [ "$cfg" = 0 ]; then
    pass "scan rootfs:DIR: header '$head1', JSON name the source, exit 0, no image-config checks"
  else
    fail "scan rootfs: rc=$rc header='$head1' name='$nm' config findings=$cfg"
  fi
  "$DD" inspect -q rootfs:"$A" --format json > "$T/i.json"; rc=$?
  got=$(jq -r '"\(.source) \(.name) \(.manifest_digest) \(.layers | length) \(.layers[0].digest) \(.layers[0].compression) \(.complete)"' "$T/i.json")
  [ $rc = 0 ] && [ "$got" = "rootfs rootfs:$A null 1 null none true" ] &&
    pass "inspect rootfs:DIR: one layer without digest, source rootfs" || fail "inspect rootfs: rc=$rc '$got'"
else
  skip "alpine rootfs: $TGZ or $IMG is absent"
fi

# ---- Debian: the debootstrap tree the images script leaves
R=$WORKDIR/rootfs-bookworm
IMG=$IMAGES/bookworm-minbase/bookworm-minbase-oci.tar
if [ -f "$R/var/lib/dpkg/status" ] && [ -f "$IMG" ]; then
  "$DD" sbom -q rootfs:"$R" --format json > "$T/d-fs.json"; rc1=$?
  "$DD" sbom -q "$IMG" --format json > "$T/d-img.json"; rc2=$?
  jq -r '.packages[] | select(.type=="dpkg") | "\(.name) \(.version) \(.arch) \(.n_files)"' "$T/d-fs.json" | sort > "$T/d-fs.txt"
  jq -r '.packages[] | select(.type=="dpkg") | "\(.name) \(.version) \(.arch) \(.n_files)"' "$T/d-img.json" | sort > "$T/d-img.txt"
  n=$(wc -l < "$T/d-fs.txt")
  if [ $rc1 = 0 ] && [ $rc2 = 0 ] && [ "$n" -gt 50 ] && cmp -s "$T/d-fs.txt" "$T/d-img.txt"; then
    pass "bookworm rootfs: sbom rootfs:DIR lists the $n dpkg packages (and file counts) of bookworm-minbase"
  else
    fail "bookworm rootfs sbom: rc=$rc1/$rc2 n=$n $(diff "$T/d-fs.txt" "$T/d-img.txt" | head -5 | tr '\n' ' ')"
  fi
else
  skip "bookworm rootfs: $R (make-images.sh small) or $IMG is absent"
fi

# ---- secrets in a tree; symlinks out of it are never followed
P=$T/proj
mkdir -p "$P/src" "$T/outside"
if [ -d "$A/etc" ]; then cp -a "$A/etc" "$P/etc"; fi
printf 'aws_access_key_id = AKIAZ7VQ2WXY3ABCDEFG\naws_secret_access_key = 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\n' > "$P/src/.aws_credentials"
echo 'print("hello")' > "$P/src/app.py"
# outside the tree: another key, reachable only through symlinks
printf 'aws_access_key_id = AKIAOUTSIDE7TREE2345\naws_secret_access_key = Zq8Lr2Vx7Wm4Kp1Ns9Yb3Hc5Jd6Fg0EaTuRiO+q\n' > "$T/outside/creds"
ln -s "$T/outside/creds" "$P/src/linked-creds"
ln -s ../../outside "$P/src/outdir"
ln -s /etc/shadow "$P/src/shadow-link"
"$DD" scan -q fs:"$P" --scanners secret --format json > "$T/s.json"; rc=$?
got=$(jq -r '[.findings[] | select(.kind=="secret") | "\(.id)|\(.path)"] | sort | join(" ")' "$T/s.json")
want="aws-access-key-id|src/.aws_credentials aws-secret-access-key|src/.aws_credentials"
if [ $rc = 1 ] && [ "$got" = "$want" ]; then
  pass "scan fs:DIR --scanners secret: the planted credentials are found (exit 1)"
else
  fail "fs secret: rc=$rc got [$got]"
fi
out=$(jq -r '[.findings[] | select(.kind=="secret" and ((.path // "") | test("linked-creds|outdir|shadow-link")))] | length' "$T/s.json")
"$DD" ls -q -l fs:"$P" src > "$T/ls.txt" 2> /dev/null
if [ "$out" = 0 ] && grep -q "^l.* /src/linked-creds -> $T/outside/creds\$" "$T/ls.txt" &&
   grep -q "^l.* /src/shadow-link -> /etc/shadow\$" "$T/ls.txt" && ! grep -q "/src/outdir/" "$T/ls.txt"; then
  pass "symlinks out of the tree (a planted key, a directory, /etc/shadow) are link entries; their targets are never read"
else
  fail "symlinks: findings on links=$out; ls: $(tr '\n' ' ' < "$T/ls.txt")"
fi
# (the plain build: LeakSanitizer does not run under ptrace)
if command -v strace > /dev/null; then
  strace -f -qq -e trace=open,openat,openat2 -o "$T/strace.txt" "$DRYDOCK" scan -q fs:"$P" --scanners secret > /dev/null
  pat='outside|/etc/shadow|"shadow-link"|"linked-creds"|"outdir"'
  if grep -Eq "$pat" "$T/strace.txt" || ! grep -q '"\.aws_credentials"' "$T/strace.txt"; then
    fail "strace: a link or its target was opened: $(grep -E "$pat" "$T/strace.txt" | head -2 | tr '\n' ' ')"
  else
    pass "strace: no open of a link or its target (outside/creds, /etc/shadow) during the scan"
  fi
else
  skip "strace is not installed"
fi
"$DD" scan -q fs:"$P/src/.aws_credentials" --scanners secret --format json > "$T/f.json"; rc=$?
got=$(jq -r '[.findings[] | select(.kind=="secret") | .path] | unique | join(" ")' "$T/f.json")
[ $rc = 1 ] && [ "$got" = ".aws_credentials" ] && pass "scan fs:FILE: one file, its secrets found under its name" ||
  fail "fs:FILE: rc=$rc paths [$got]"

# ---- an unreadable file is a finding, not a silent skip (as root: run
# as uid 65534, root reads mode 000 files)
AS=()
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
  AS=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$T/home")
fi
if [ "$(id -u)" != 0 ] || [ ${#AS[@]} != 0 ]; then
  U=$T/unread; mkdir -p "$U/dir" "$T/home"; chmod 755 "$T" "$T/home"
  echo 'token' > "$U/locked"; echo 'x' > "$U/open.txt"; chmod 000 "$U/locked" "$U/dir"
  "${AS[@]}" "$DD" scan -q fs:"$U" --scanners secret --format json > "$T/u.json"; rc=$?
  n=$(jq -r '[.findings[] | select(.id=="fs.unreadable")] | length' "$T/u.json")
  named=$(jq -r '[.findings[] | select(.id=="fs.unreadable") | .title] | join(" / ")' "$T/u.json")
  complete=$(jq -r '.complete' "$T/u.json")
  paths=$(jq -r '[.findings[] | select(.id=="fs.unreadable") | .path] | sort | join(" ")' "$T/u.json")
  if [ $rc = 4 ] && [ "$n" = 2 ] && [ "$paths" = "dir locked" ] && [ "$complete" = false ] && echo "$named" | grep -q "cannot open (Permission denied)" &&
     echo "$named" | grep -q "cannot open the directory"; then
    pass "unreadable file and directory: one fs.unreadable finding naming each, scan incomplete, exit 4"
  else
    fail "unreadable: rc=$rc n=$n complete=$complete [$named]"
  fi
  chmod 755 "$U/dir"
else
  skip "unreadable file: running as root without setpriv (tests/unit/test_dirtree.c checks it)"
fi

# ---- bad input
for ref in rootfs:/nonexistent fs:/nonexistent/x; do
  "$DD" scan "$ref" --scanners secret > "$T/o.txt" 2> "$T/e.txt"; rc=$?
  lines=$(wc -l < "$T/e.txt")
  if [ $rc = 3 ] && [ "$lines" = 1 ] && grep -q "^drydock: $ref: no such file or directory$" "$T/e.txt" && [ ! -s "$T/o.txt" ]; then
    pass "scan $ref: one line on stderr, exit 3"
  else
    fail "scan $ref: rc=$rc stderr: $(head -3 "$T/e.txt" | tr '\n' ' ')"
  fi
done
# with the vuln scanner and no database: the missing directory is said
# first, and no download is tried (the mirror would be unreachable)
for ref in rootfs:/nonexistent "$T/none.tar" ./no-such-dir; do
  DRYDOCK_FEED_MIRROR=https://127.0.0.1:1 XDG_CACHE_HOME=$T/xdg "$DD" scan "$ref" > /dev/null 2> "$T/e.txt"; rc=$?
  [ $rc = 3 ] && [ "$(cat "$T/e.txt")" = "drydock: $ref: no such file or directory" ] &&
    pass "scan $ref with no database: the missing source is the one line, no db update tried" ||
    fail "scan $ref without db: rc=$rc $(head -3 "$T/e.txt" | tr '\n' ' ')"
done
echo x > "$T/plain"
"$DD" sbom rootfs:"$T/plain" > /dev/null 2> "$T/e.txt"; rc=$?
[ $rc = 3 ] && [ "$(wc -l < "$T/e.txt")" = 1 ] && grep -q "not a directory" "$T/e.txt" &&
  pass "rootfs:FILE: not a directory, one line, exit 3" || fail "rootfs:FILE: rc=$rc $(cat "$T/e.txt")"
# ---- Trivy's spellings: drydock fs PATH / rootfs DIR
mkdir -p "$T/proj"
printf 'aws_access_key_id = AKIAQ3EXAMPLE7KZT4WB\n' > "$T/proj/credentials"
a=$("$DD" fs -q --scanners secret --format json "$T/proj" | jq -r '.image.name, ([.findings[] | select(.id == "aws-access-key-id")] | length)' | tr '\n' ' ')
b=$("$DD" scan -q --scanners secret --format json "fs:$T/proj" | jq -r '.image.name, ([.findings[] | select(.id == "aws-access-key-id")] | length)' | tr '\n' ' ')
[ "$a" = "$b" ] && [ "$a" = "fs:$T/proj 1 " ] && pass "drydock fs PATH = drydock scan fs:PATH ($a)" || fail "drydock fs: '$a' vs '$b'"
"$DD" rootfs --scanners secret /nonexistent > /dev/null 2> "$T/e.txt"; rc=$?
[ $rc = 3 ] && pass "drydock rootfs DIR = scan rootfs:DIR (missing dir: exit 3)" || fail "drydock rootfs: rc=$rc $(cat "$T/e.txt")"
# ---- fs: reads a project's lockfiles (the lockfile row is on for fs sources)
for d in npm-v3 poetry cargo gomod; do
  want=$(grep -vc '^#' "tests/data/lockfiles/$d/expect.tsv")
  got=$("$DD" sbom -q --format json "fs:$PWD/tests/data/lockfiles/$d" 2> /dev/null | jq '.packages | length')
  [ "$got" = "$want" ] && pass "sbom fs:tests/data/lockfiles/$d: the $want packages of its lockfile" ||
    fail "sbom fs:$d: $got packages, expect.tsv has $want"
done
