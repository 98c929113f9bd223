#!/bin/bash
# tests/integration/test_audit.sh - `drydock registry audit` against real
# servers on 127.0.0.1 (docs/registry-audit.md):
#  - Debian's docker-registry "open": plain HTTP, anonymous, delete
#    enabled, one image pushed with curl: every weakness once, each with a
#    fix; table, JSON, exit code 1
#  - "locked": htpasswd, TLS from a throwaway CA, delete disabled: only
#    INFO lines, exit 0
#  - TLS with a self-signed and with an expired certificate (openssl)
#  - a token realm on plain HTTP and on a look-alike host (fake server)
# Servers listen on 127.0.0.1 only, are waited for with bounded loops and
# stopped by PID.
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
T=$(mktemp -d)
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2> /dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
for tool in docker-registry htpasswd openssl curl python3; do
  if ! command -v $tool > /dev/null; then
    skip "audit: $tool not installed (docker-registry, apache2-utils, openssl, curl)"
    exit 0
  fi
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { # port scheme
  for _ in $(seq 1 80); do
    curl -s -k -m 2 -o /dev/null "$2://127.0.0.1:$1/v2/" && return 0
    sleep 0.25
  done
  return 1
}
# registry DIR PORT TLS(0/1) AUTH(0/1) DELETE(true/false)
registry() {
  local d=$1 p=$2 tls="" auth=""
  mkdir -p "$d/data"
  [ "$3" = 1 ] && tls="  tls: {certificate: $d/server.crt, key: $d/server.key}"
  [ "$4" = 1 ] && auth="auth:
  htpasswd: {realm: basic-realm, path: $d/htpasswd}"
  cat > "$d/config.yml" << EOF
version: 0.1
log: {level: error}
storage:
  filesystem: {rootdirectory: $d/data}
  delete: {enabled: $5}
http:
  addr: 127.0.0.1:$p
  secret: test-only-secret
$tls
$auth
EOF
  docker-registry serve "$d/config.yml" > "$d/log" 2>&1 &
  PIDS="$PIDS $!"
  wait_port "$p" "$([ "$3" = 1 ] && echo https || echo http)"
}
# certs DIR [selfsigned|expired] - a CA and a server certificate for
# localhost/127.0.0.1 (valid 20 days, or expired a day ago); "selfsigned":
# one self-signed certificate, no CA
certs() {
  local d=$1
  mkdir -p "$d"
  if [ "${2:-}" = selfsigned ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
      -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
      -keyout "$d/server.key" -out "$d/server.crt" 2> /dev/null
    return
  fi
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj /CN=drydock-audit-ca -keyout "$d/ca.key" -out "$d/ca.crt" 2> /dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
    -keyout "$d/server.key" -out "$d/server.csr" 2> /dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$d/ext.cnf"
  if [ "${2:-}" = expired ]; then
    # notAfter a day ago (OpenSSL 3.0's x509 takes a negative -days)
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
      -days -1 -extfile "$d/ext.cnf" -out "$d/server.crt" 2> /dev/null
  else
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
      -days 20 -extfile "$d/ext.cnf" -out "$d/server.crt" 2> /dev/null
  fi
}
# push a one-layer image to http://127.0.0.1:PORT/REPO:TAG with curl alone
push_image() {
  local p=$1 repo=$2 tag=$3 w=$T/img
  mkdir -p "$w/root" && echo hello > "$w/root/hello.txt"
  tar --sort=name --mtime=@0 --owner=0 --group=0 -C "$w/root" -cf - . | gzip -n > "$w/layer"
  printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$(gzip -dc "$w/layer" | sha256sum | cut -d' ' -f1)" > "$w/config"
  local b
  for b in layer config; do
    local dg
    dg=sha256:$(sha256sum "$w/$b" | cut -d' ' -f1)
    local loc
    loc=$(curl -s -m 10 -o /dev/null -D - -X POST "http://127.0.0.1:$p/v2/$repo/blobs/uploads/" |
      tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
    case $loc in http*) ;; *) loc=http://127.0.0.1:$p$loc ;; esac
    curl -s -m 10 -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
      --data-binary "@$w/$b" "$loc&digest=$dg" || return 1
    eval "${b}_d=$dg ${b}_s=$(stat -c %s "$w/$b")"
  done
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}]}' \
    "$config_d" "$config_s" "$layer_d" "$layer_s" > "$w/manifest"
  curl -s -m 10 -f -o /dev/null -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary "@$w/manifest" "http://127.0.0.1:$p/v2/$repo/manifests/$tag"
}
count() { grep -c -- "$1" "$2"; }

# ---------------------------------------------------------------- open
PO=$(free_port)
if ! registry "$T/open" "$PO" 0 0 true; then
  fail "audit open registry: did not start ($(head -c 300 "$T/open/log"))"
  exit 0
fi
if ! push_image "$PO" team/app v1; then
  fail "audit open registry: push failed"
fi
$DD registry audit "127.0.0.1:$PO" > "$T/open.txt" 2> "$T/open.err"
rc=$?
ok=1
for rule in registry.plaintext-http registry.anonymous-access registry.anonymous-catalog \
  registry.anonymous-pull registry.delete-enabled; do
  n=$(grep -c " $rule " "$T/open.txt")
  if [ "$n" != 1 ]; then
    fail "audit open: $rule reported $n times"
    ok=0
  fi
done
if grep -E '^  (HIGH|MEDIUM|LOW|CRITICAL) ' "$T/open.txt" | grep -v '; fix: ' | grep -q .; then
  fail "audit open: a weakness without a fix: $(grep -v '; fix: ' "$T/open.txt" | head -2)"
  ok=0
fi
if ! grep -q 'registry.anonymous-pull.*team/app/manifests/v1' "$T/open.txt"; then
  fail "audit open: pull evidence does not name team/app:v1"
  ok=0
fi
[ "$rc" = 1 ] || {
  fail "audit open: exit $rc, want 1 ($(cat "$T/open.err"))"
  ok=0
}
[ $ok = 1 ] && pass "audit open registry: 5 weaknesses once each with a fix, exit 1"
$DD registry audit "127.0.0.1:$PO" --format json > "$T/open.json"
if python3 - "$T/open.json" << 'EOF'; then
import json, sys
a = json.load(open(sys.argv[1]))
ids = sorted(f["id"] for f in a)
want = sorted(["registry.plaintext-http", "registry.anonymous-access", "registry.anonymous-catalog",
               "registry.anonymous-pull", "registry.delete-enabled"])
assert ids == want, ids
assert all(f["severity"] in ("HIGH", "MEDIUM") for f in a), a
assert all(f.get("evidence") for f in a), a
EOF
  pass "audit open registry: JSON lists the same 5 rules with evidence"
else
  fail "audit open registry: JSON differs"
fi
$DD registry audit "127.0.0.1:$PO" --fail-on never > /dev/null
rc=$?
[ $rc = 0 ] && pass "audit --fail-on never: exit 0" || fail "audit --fail-on never: exit $rc"
# the all-zero delete probe removed nothing
if curl -s -m 5 -f -o /dev/null "http://127.0.0.1:$PO/v2/team/app/manifests/v1" -H \
  'Accept: application/vnd.oci.image.manifest.v1+json'; then
  pass "audit open registry: the image is still there after the delete probe"
else
  fail "audit open registry: the image is gone after the audit"
fi

# ---------------------------------------------------------------- locked
PL=$(free_port)
certs "$T/locked"
htpasswd -Bbn testuser testpass > "$T/locked/htpasswd"
if ! registry "$T/locked" "$PL" 1 1 false; then
  fail "audit locked registry: did not start ($(head -c 300 "$T/locked/log"))"
else
  $DD registry audit "127.0.0.1:$PL" --ca-file "$T/locked/ca.crt" > "$T/locked.txt" 2>&1
  rc=$?
  if [ $rc = 0 ] && ! grep -Eq '^  (HIGH|MEDIUM|LOW|CRITICAL) ' "$T/locked.txt" &&
    grep -q '^  INFO .*registry.auth-required' "$T/locked.txt"; then
    pass "audit locked registry: only INFO lines, exit 0"
  else
    fail "audit locked registry: exit $rc: $(head -c 600 "$T/locked.txt")"
  fi
  # the same server without its CA: the certificate does not verify
  $DD registry audit "127.0.0.1:$PL" > "$T/noca.txt" 2>&1
  if grep -q ' registry.tls-untrusted ' "$T/noca.txt"; then
    pass "audit locked registry without its CA: registry.tls-untrusted"
  else
    fail "audit without CA: $(head -c 400 "$T/noca.txt")"
  fi
fi

# ---------------------------------------------------------------- bad certificates
for kind in selfsigned expired; do
  PT=$(free_port)
  certs "$T/$kind" $kind
  if ! registry "$T/$kind" "$PT" 1 0 false; then
    fail "audit $kind: registry did not start ($(head -c 300 "$T/$kind/log"))"
    continue
  fi
  ca=()
  [ -f "$T/$kind/ca.crt" ] && ca=(--ca-file "$T/$kind/ca.crt")
  $DD registry audit "127.0.0.1:$PT" "${ca[@]}" > "$T/$kind.txt" 2>&1
  if grep -q ' registry.tls-untrusted ' "$T/$kind.txt"; then
    pass "audit $kind certificate: registry.tls-untrusted"
  else
    fail "audit $kind: $(head -c 400 "$T/$kind.txt")"
  fi
done

# ---------------------------------------------------------------- usage
$DD registry audit > /dev/null 2>&1
rc=$?
[ $rc = 2 ] && pass "audit without HOST: exit 2" || fail "audit without HOST: exit $rc"
$DD registry audit "127.0.0.1:$(free_port)" > /dev/null 2> "$T/none.err"
rc=$?
if [ $rc = 3 ] && grep -q 'no registry API' "$T/none.err"; then
  pass "audit of a closed port: one line, exit 3"
else
  fail "audit of a closed port: exit $rc $(cat "$T/none.err")"
fi
