#!/bin/bash
# tests/integration/test_config.sh - the configuration checks:
#  - risky: each planted risk reported exactly once (root, ports 22 and
#    2375, three Env secrets with their ENV steps, ADD http, curl | sh,
#    latest tag, no healthcheck), and the secret scanner and the config
#    checks together still report each Env secret once
#  - alpine-3.20: only config.user-root and config.no-healthcheck
#  - node-app (USER 1000): no config.user-root
#  - bookworm-minbase: setuid/setgid files with their owning packages
#  - a crafted image: UID 0 account, empty passwords, root password,
#    world-writable file and directory, sshd, sudo, nc, apt lists
#  - the policy file: disable, severity override, bad files
#  - drydock history (steps, layers, redacted ENV) and drydock dockerfile
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

cfg() { # image out [options]
  local img=$1 out=$2
  shift 2
  "$DD" scan -q --scanners config --format json "$@" "$img" > "$out"
}
rows() { jq -r '.findings[] | select(.kind=="config") | "\(.id)|\(.path // "-")"' "$1" | sort | tr '\n' ' '; }

R=$IMAGES/risky/oci
if [ -d "$R" ]; then
  cfg "$R" "$T/r.json"; rc=$?
  got=$(jq -r '.findings[] | "\(.id)|\(.history // "-")"' "$T/r.json" | sort | tr '\n' ' ')
  want="config.add-remote-url|6 config.curl-pipe-shell|4 config.env-secret|2 config.env-secret|3 config.env-secret|3 config.latest-tag|- config.no-healthcheck|- config.port-risky|8 config.port-risky|8 config.user-root|- "
  [ $rc = 1 ] && [ "$got" = "$want" ] && pass "risky: every planted config risk once, with its history step" ||
    fail "risky: rc=$rc got [$got]"
  p=$(jq -r '[.findings[] | select(.id=="config.port-risky") | .evidence] | join(",")' "$T/r.json")
  [ "$p" = "22/tcp,2375/tcp" ] && pass "risky: ports 22 and 2375 as evidence" || fail "risky ports: '$p'"
  "$DD" scan -q --scanners secret,config --format json "$R" > "$T/rs.json"
  n=$(jq '[.findings[] | select(.title | test("Env (DB_PASSWORD|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY) "))] | length' "$T/rs.json")
  c=$(jq '[.findings[] | select(.id=="config.env-secret")] | length' "$T/rs.json")
  [ "$n" = 3 ] && [ "$c" = 0 ] && pass "secret + config scanners: each Env secret reported once (by the secret scanner)" ||
    fail "secret+config: $n Env findings, $c config.env-secret"
  grep -qF 'Pr0d-P@ssw0rd-2024!' "$T/r.json" && fail "risky: a secret value appears whole in the config findings" ||
    pass "risky: Env secrets are redacted in the config findings"
else
  skip "risky image not built"
fi

A=$IMAGES/alpine-3.20/oci
if [ -d "$A" ]; then
  cfg "$A" "$T/a.json"
  got=$(rows "$T/a.json")
  [ "$got" = "config.no-healthcheck|- config.user-root|- " ] && pass "alpine-3.20: only root user and no healthcheck" ||
    fail "alpine-3.20: [$got]"
  printf '{"disable": ["config.no-healthcheck"], "severity": {"config.user-root": "high"}}' > "$T/p.json"
  cfg "$A" "$T/a2.json" --checks-config "$T/p.json"
  got=$(jq -r '[.findings[] | "\(.id) \(.severity)"] | join(",")' "$T/a2.json")
  [ "$got" = "config.user-root HIGH" ] && pass "--checks-config: a check disabled, a severity raised" || fail "policy: '$got'"
  printf '{"disable": ["config.nope"]}' > "$T/bad.json"
  "$DD" scan -q --scanners config --checks-config "$T/bad.json" "$A" > /dev/null 2> "$T/err"; rc=$?
  [ $rc = 2 ] && [ "$(cat "$T/err")" = "drydock: $T/bad.json: disable[0]: unknown check id (see docs/checks.md)" ] &&
    pass "bad policy: exit 2, one line naming the file" || fail "bad policy: rc=$rc $(cat "$T/err")"
else
  skip "alpine-3.20 not built"
fi

N=$IMAGES/node-app/oci
if [ -d "$N" ]; then
  cfg "$N" "$T/n.json"
  u=$(jq '[.findings[] | select(.id=="config.user-root")] | length' "$T/n.json")
  [ "$u" = 0 ] && pass "node-app (USER 1000): no root finding" || fail "node-app: root reported"
else
  skip "node-app not built"
fi

M=$IMAGES/bookworm-minbase/oci
if [ -d "$M" ]; then
  cfg "$M" "$T/m.json"
  s=$(jq -r '[.findings[] | select(.id=="config.setuid") | "\(.path):\(.evidence | sub(".*package "; ""))"] | join(" ")' "$T/m.json")
  want="usr/bin/chage:passwd usr/bin/chfn:passwd usr/bin/chsh:passwd usr/bin/expiry:passwd usr/bin/gpasswd:passwd usr/bin/mount:mount usr/bin/newgrp:login usr/bin/passwd:passwd usr/bin/su:util-linux usr/bin/umount:mount usr/sbin/unix_chkpwd:libpam-modules-bin"
  [ "$s" = "$want" ] && pass "bookworm-minbase: 11 setuid/setgid files, each with its package" || fail "minbase setuid: [$s]"
  ww=$(jq '[.findings[] | select(.id=="config.world-writable")] | length' "$T/m.json")
  [ "$ww" = 0 ] && pass "bookworm-minbase: no world-writable finding (/tmp has the sticky bit)" || fail "minbase ww: $ww"
else
  skip "bookworm-minbase not built"
fi

# ---------------------------------------------------------------- crafted image
python3 - "$T" <<'EOF'
import io, sys, tarfile
D = sys.argv[1]
def add(tf, name, data=None, mode=0o644, uid=0):
    ti = tarfile.TarInfo(name)
    if data is None:
        ti.type, ti.mode = tarfile.DIRTYPE, mode
        tf.addfile(ti); return
    ti.size, ti.mode, ti.uid, ti.mtime = len(data), mode, uid, 1717200000
    tf.addfile(ti, io.BytesIO(data))
with tarfile.open(D + "/l0.tar", "w", format=tarfile.PAX_FORMAT) as tf:
    for d in ["etc", "usr", "usr/sbin", "usr/bin", "opt", "var", "var/lib", "var/lib/apt", "var/lib/apt/lists", "tmp"]:
        add(tf, d)
    add(tf, "opt/shared", None, 0o777)
    add(tf, "tmp", None, 0o1777)
    add(tf, "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\nguest::1001:1001::/home/guest:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n")
    add(tf, "etc/shadow", b"root:$6$abcdefgh$0123456789abcdefghij:19000:0:99999:7:::\ntoor:!:19000::::::\nguest::19000::::::\napp:*:19000::::::\n", 0o640)
    add(tf, "usr/sbin/sshd", b"\x7fELF" + b"\0" * 60, 0o755)
    add(tf, "usr/bin/sudo", b"\x7fELF" + b"\0" * 60, 0o4755)
    add(tf, "usr/bin/nc", b"\x7fELF" + b"\0" * 60, 0o755)
    add(tf, "opt/run.sh", b"#!/bin/sh\n", 0o777)
    add(tf, "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", b"x" * 1000)
    add(tf, "var/lib/apt/lists/lock", b"")
EOF
cat > "$T/spec.json" <<EOF
{"out":"$T/img","name":"cfgtest","tag":"1.0",
 "config":{"User":"app","ExposedPorts":{"5432/tcp":{},"8080/tcp":{}},"Healthcheck":{"Test":["CMD","true"]}},
 "layers":[{"tar":"$T/l0.tar","created_by":"COPY rootfs /"}]}
EOF
python3 "$ROOT/demo/mkimage.py" "$T/spec.json" > /dev/null
cfg "$T/img/oci" "$T/c.json"; rc=$?
got=$(jq -r '.findings[] | "\(.id)|\(.path // "-")|\(.evidence // "-" | .[0:24])"' "$T/c.json" | sort | tr '\n' ' ')
want="config.debug-tools|usr/bin/nc|nc config.empty-password|etc/passwd|guest config.empty-password|etc/shadow|guest config.package-cache|var/lib/apt/lists/|1 files, 1000 bytes config.port-risky|-|5432/tcp config.remote-access|usr/sbin/sshd|sshd config.root-password|etc/shadow|root:\$6\$abc… config.setuid|usr/bin/sudo|mode 4755, uid 0, packag config.sudo-installed|usr/bin/sudo|sudo config.uid0-account|etc/passwd|toor config.world-writable|opt/run.sh|mode 0777 config.world-writable|opt/shared|mode 0777 "
[ $rc = 1 ] && [ "$got" = "$want" ] &&
  pass "crafted: UID 0 account, empty passwords, root password, world-writable file+dir, sshd, sudo, nc, apt lists, port 5432; USER, HEALTHCHECK and tag are fine" ||
  fail "crafted: rc=$rc got [$got]"

# ---------------------------------------------------------------- history
if [ -d "${R:-/nonexistent}" ]; then
  "$DD" history -q "$R" > "$T/h.txt"; rc=$?
  if grep -qE '^8 +- +- +EXPOSE 22/tcp 2375/tcp$' "$T/h.txt" && grep -qE '^4 +L1 .*RUN apk add --no-cache curl && curl' "$T/h.txt" &&
    grep -q 'ENV DB_PASSWORD=\*\*\*\*$' "$T/h.txt" && ! grep -qF 'Pr0d-P@ss' "$T/h.txt" &&
    grep -qE '^HIGH +config.curl-pipe-shell +step 4' "$T/h.txt" && [ $rc = 0 ]; then
    pass "drydock history: steps as instructions with layers and sizes, ENV secrets masked, checks per step (findings shown, exit 0)"
  else
    fail "history: rc=$rc $(head -12 "$T/h.txt")"
  fi
  "$DD" history -q --format json "$R" > "$T/h.json"
  s=$(jq '.steps | length' "$T/h.json")
  l=$(jq -r '[.steps[] | select(.layer != null) | .layer] | join(",")' "$T/h.json")
  [ "$s" = 10 ] && [ "$l" = "0,1,2,3" ] && pass "drydock history --format json: 10 steps, layers 0-3" || fail "history json: $s steps, layers $l"
fi

# ---------------------------------------------------------------- dockerfile
cat > "$T/Dockerfile" <<'EOF'
FROM node:latest
ENV API_TOKEN=ghp_FAKE0123456789abcdefghijklmnopqrstuv
RUN apt-get update && apt-get install -y \
      telnetd \
      tcpdump
ADD https://example.com/app.tgz /app/
RUN curl -sSL https://get.example.com | sh
EXPOSE 23
EOF
"$DD" dockerfile --format json "$T/Dockerfile" > "$T/d.json"; rc=$?
got=$(jq -r '[.findings[] | "\(.id | sub("config."; ""))@\(.line)"] | join(" ")' "$T/d.json")
want="latest-tag@1 env-secret@2 remote-access@3 debug-tools@3 package-cache@3 add-remote-url@6 curl-pipe-shell@7 port-risky@8 user-root@1 no-healthcheck@1"
[ $rc = 1 ] && [ "$got" = "$want" ] && pass "drydock dockerfile: each check at its line ($got)" || fail "dockerfile: rc=$rc [$got]"
"$DD" dockerfile "$T/Dockerfile" | grep -qE '^HIGH +config.curl-pipe-shell +line 7 ' && pass "drydock dockerfile: table names lines" ||
  fail "dockerfile table"
printf 'FROM a:1\nRUN <<EOF\necho\n' > "$T/Dockerfile.bad"
"$DD" dockerfile "$T/Dockerfile.bad" > /dev/null 2> "$T/err"; rc=$?
[ $rc = 3 ] && [ "$(cat "$T/err")" = "drydock: $T/Dockerfile.bad: line 2: heredoc 'EOF' is never closed" ] &&
  pass "bad Dockerfile: exit 3, one line with the line number" || fail "bad dockerfile: rc=$rc $(cat "$T/err")"
"$DD" dockerfile "$T/nope" > /dev/null 2>&1; rc=$?
[ $rc = 3 ] && pass "missing Dockerfile: exit 3" || fail "missing dockerfile rc=$rc"
