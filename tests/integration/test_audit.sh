#!/bin/bash
# tests/integration/test_audit.sh - `drydock registry audit` against real
# servers on 127.0.0.1 (docs/registry-audit.md):
#  - Debian's docker-registry "open": plain HTTP, anonymous, delete
#    enabled, debug server (expvar, pprof, Prometheus) on its own port,
#    one image pushed with curl, and a fake container daemon API on the
#    same host (plain HTTP and TLS without client certificates): every
#    weakness once, each with a fix; table, JSON, SARIF, exit codes;
#    --probe-push leaves nothing behind
#  - "locked": htpasswd, TLS from a throwaway CA, delete disabled: only
#    INFO lines, exit 0
#  - TLS: self-signed, expired, another host name, expiring in 10 days
#    (certificates made with openssl), TLS 1.0 and weak ciphers accepted
#  - Harbor (fake_daemon.py): systeminfo, projects, the default password
#    only with --probe-default-creds and never after a failed realm check
#  - a hostile server's huge headers and bodies
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
  if [ -n "${KEEP_T:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
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
# registry DIR PORT TLS(0/1) AUTH(0/1) DELETE(true/false) [DEBUGPORT]
registry() {
  local d=$1 p=$2 tls="" auth="" debug=""
  mkdir -p "$d/data"
  [ "$3" = 1 ] && tls="  tls: {certificate: $d/server.crt, key: $d/server.key}"
  [ -n "${6:-}" ] && debug="  debug:
    addr: 127.0.0.1:$6
    prometheus: {enabled: true, path: /metrics}"
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
$debug
$auth
EOF
  docker-registry serve "$d/config.yml" > "$d/log" 2>&1 &
  PIDS="$PIDS $!"
  wait_port "$p" "$([ "$3" = 1 ] && echo https || echo http)"
}
# certs DIR [selfsigned|expired|mismatch|expiring] - a CA and a server
# certificate for localhost/127.0.0.1 (valid 400 days; "expired": expired
# a day ago; "expiring": valid 10 days; "mismatch": for other.example);
# "selfsigned": one self-signed certificate, no CA
certs() {
  local d=$1 days=400 name="DNS:localhost,IP:127.0.0.1" cn=localhost
  mkdir -p "$d"
  if [ "${2:-}" = selfsigned ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 400 \
      -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
      -keyout "$d/server.key" -out "$d/server.crt" 2> /dev/null
    return
  fi
  case ${2:-} in
    expired) days=-1 ;; # notAfter a day ago (OpenSSL 3.0's x509 takes a negative -days)
    expiring) days=10 ;;
    mismatch) name=DNS:other.example cn=other.example ;;
  esac
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 800 \
    -subj /CN=drydock-audit-ca -keyout "$d/ca.key" -out "$d/ca.crt" 2> /dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$cn" \
    -keyout "$d/server.key" -out "$d/server.csr" 2> /dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$name" > "$d/ext.cnf"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days $days -extfile "$d/ext.cnf" -out "$d/server.crt" 2> /dev/null
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
# fake MODE NAME [args] - start fake_daemon.py, wait for its port file
# (bounded), set FPORT
fake() {
  local m=$1 n=$2
  shift 2
  python3 "$HERE/fake_daemon.py" "$m" "$T/$n.port" "$@" 2> "$T/$n.log" &
  local pid=$!
  PIDS="$PIDS $pid"
  for _ in $(seq 1 80); do
    [ -s "$T/$n.port" ] && FPORT=$(cat "$T/$n.port") && return 0
    kill -0 $pid 2> /dev/null || return 1
    sleep 0.1
  done
  return 1
}
# rules RULE... FILE - each RULE exactly once in the table FILE, and no other
# finding above INFO; prints what is wrong
rules_exactly() {
  local f=${*: -1} bad="" r n
  for r in "${@:1:$#-1}"; do
    n=$(grep -c "^  [A-Z]* *$r " "$f")
    [ "$n" = 1 ] || bad="$bad $r:$n"
  done
  local other
  other=$(grep -E '^  (LOW|MEDIUM|HIGH|CRITICAL) ' "$f" | awk '{print $2}' | sort -u |
    grep -vxF -f <(printf '%s\n' "${@:1:$#-1}"))
  [ -z "$other" ] || bad="$bad unexpected:${other//$'\n'/,}"
  echo "$bad"
}

# ---------------------------------------------------------------- open
PO=$(free_port)
PD=$(free_port)
if ! registry "$T/open" "$PO" 0 0 true "$PD"; then
  fail "audit open registry: did not start ($(head -c 300 "$T/open/log"))"
  exit 0
fi
if ! push_image "$PO" team/app v1; then
  fail "audit open registry: push failed"
fi
# the first run as before: no debug or daemon ports, no probes
$DD registry audit "127.0.0.1:$PO" --daemon-ports '' --debug-ports '' > "$T/open5.txt" 2> "$T/open.err"
rc=$?
bad=$(rules_exactly registry.plaintext-http registry.anonymous-access registry.anonymous-catalog \
  registry.anonymous-pull registry.delete-enabled "$T/open5.txt")
if [ -z "$bad" ] && [ "$rc" = 1 ]; then
  pass "audit open registry: 5 weaknesses once each with a fix, exit 1"
else
  fail "audit open registry (no probes): exit $rc;$bad $(cat "$T/open.err")"
fi
# a container daemon API on the same host: plain HTTP and TLS without
# client certificates (certificate from the locked registry's CA below)
certs "$T/locked"
fake daemon daemon || fail "audit: fake daemon did not start ($(cat "$T/daemon.log"))"
PDA=$FPORT
fake daemon daemontls --tls "$T/locked/server.crt" "$T/locked/server.key" ||
  fail "audit: fake TLS daemon did not start ($(cat "$T/daemontls.log"))"
PDT=$FPORT
OPEN_RULES="registry.plaintext-http registry.anonymous-access registry.anonymous-catalog
  registry.anonymous-pull registry.delete-enabled registry.anonymous-push registry.debug-vars
  registry.debug-pprof registry.metrics-exposed registry.daemon-api-plaintext
  registry.daemon-api-no-client-cert"
OPENARGS=(--debug-ports "$PD" --daemon-ports "$PDA,$PDT" --probe-push)
$DD registry audit "127.0.0.1:$PO" "${OPENARGS[@]}" > "$T/open.txt" 2> "$T/open.err"
rc=$?
# shellcheck disable=SC2086
bad=$(rules_exactly $OPEN_RULES "$T/open.txt")
if grep -E '^  (HIGH|MEDIUM|LOW|CRITICAL) ' "$T/open.txt" | grep -v '; fix: ' | grep -q .; then
  bad="$bad no-fix: $(grep -E '^  (HIGH|MEDIUM|LOW|CRITICAL) ' "$T/open.txt" | grep -v '; fix: ' | head -2)"
fi
grep -q 'registry.anonymous-pull.*team/app/manifests/v1' "$T/open.txt" || bad="$bad pull-evidence"
grep -q '^  CRITICAL registry.daemon-api-plaintext .*/version: Version 24.0.7' "$T/open.txt" || bad="$bad daemon-evidence"
grep -q "registry.debug-vars .*127.0.0.1:$PD/debug/vars" "$T/open.txt" || bad="$bad debug-evidence"
[ "$rc" = 1 ] || bad="$bad exit:$rc"
if [ -z "$bad" ]; then
  pass "audit open registry: 11 weaknesses (TLS aside) once each with a fix, exit 1"
else
  fail "audit open registry:$bad $(cat "$T/open.err")"
fi
$DD registry audit "127.0.0.1:$PO" "${OPENARGS[@]}" --format json > "$T/open.json"
# shellcheck disable=SC2086
if python3 - "$T/open.json" $OPEN_RULES << 'EOF'; then
import json, sys
a = json.load(open(sys.argv[1]))
ids = sorted(f["id"] for f in a)
assert ids == sorted(sys.argv[2:]), ids
assert all(f["severity"] in ("CRITICAL", "HIGH", "MEDIUM", "LOW") for f in a), a
assert all(f.get("evidence") for f in a), a
assert all("; fix: " in f["title"] for f in a), a
EOF
  pass "audit open registry: JSON lists the same 11 rules with evidence"
else
  fail "audit open registry: JSON differs"
fi
$DD registry audit "127.0.0.1:$PO" "${OPENARGS[@]}" -f sarif -o "$T/open.sarif"
rc=$?
# shellcheck disable=SC2086
if [ $rc = 1 ] && python3 - "$T/open.sarif" "127.0.0.1:$PO" $OPEN_RULES << 'EOF'; then
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0", d
run = d["runs"][0]
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
res = run["results"]
assert sorted(rules) == sorted(sys.argv[3:]), rules
assert sorted(r["ruleId"] for r in res) == sorted(sys.argv[3:]), res
for r in res:
    assert rules[r["ruleIndex"]] == r["ruleId"], r
    assert r["level"] in ("error", "warning", "note"), r
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "http://%s/v2/" % sys.argv[2], r
levels = {r["ruleId"]: r["level"] for r in res}
assert levels["registry.daemon-api-plaintext"] == "error", levels
assert levels["registry.metrics-exposed"] == "note", levels
help = {r["id"]: r["help"]["text"] for r in run["tool"]["driver"]["rules"]}
assert "storage.delete.enabled" in help["registry.delete-enabled"], help
EOF
  pass "audit open registry: SARIF 2.1.0 (-f sarif -o FILE) with the same 11 rules, fixes as help, exit 1"
else
  fail "audit open registry: SARIF differs (exit $rc)"
fi
# exit codes like scan
$DD registry audit "127.0.0.1:$PO" --fail-on never > /dev/null
rc=$?
[ $rc = 0 ] && pass "audit --fail-on never: exit 0" || fail "audit --fail-on never: exit $rc"
$DD registry audit "127.0.0.1:$PO" "${OPENARGS[@]}" --exit-code 7 > /dev/null
rc1=$?
$DD registry audit "127.0.0.1:$PO" --daemon-ports '' --debug-ports '' --fail-on critical > /dev/null
rc2=$?
$DD registry audit "127.0.0.1:$PO" "${OPENARGS[@]}" --fail-on critical --exit-code 9 > /dev/null
rc3=$?
$DD registry audit "127.0.0.1:$PO" --daemon-ports '' --debug-ports '' --fail-on critical --exit-code 9 > /dev/null
rc4=$?
if [ "$rc1/$rc2/$rc3/$rc4" = 7/0/9/0 ]; then
  pass "audit exit codes as scan: --exit-code 7 -> 7; --fail-on critical without a CRITICAL -> 0; with -> --exit-code"
else
  fail "audit exit codes: $rc1/$rc2/$rc3/$rc4, want 7/0/9/0"
fi
$DD registry audit "127.0.0.1:$PO" "${OPENARGS[@]}" --severity CRITICAL > "$T/crit.txt"
bad=$(rules_exactly registry.daemon-api-plaintext registry.daemon-api-no-client-cert "$T/crit.txt")
if [ -z "$bad" ] && ! grep -Eq '^  (INFO|LOW|MEDIUM|HIGH) ' "$T/crit.txt"; then
  pass "audit --severity CRITICAL: only the two daemon findings"
else
  fail "audit --severity CRITICAL:$bad $(head -c 300 "$T/crit.txt")"
fi
$DD registry audit "127.0.0.1:$PO" --daemon-ports 70000 > /dev/null 2> "$T/badport.err"
rc=$?
if [ $rc = 2 ] && grep -q 'not a list of ports' "$T/badport.err"; then
  pass "audit --daemon-ports 70000: one line, exit 2"
else
  fail "audit bad port list: exit $rc $(cat "$T/badport.err")"
fi
# the all-zero delete probe removed nothing
if curl -s -m 5 -f -o /dev/null "http://127.0.0.1:$PO/v2/team/app/manifests/v1" -H \
  'Accept: application/vnd.oci.image.manifest.v1+json'; then
  pass "audit open registry: the image is still there after the delete probe"
else
  fail "audit open registry: the image is gone after the audit"
fi
# --probe-push cancelled its upload: the upload URL is gone, no upload left
# in the storage, nothing pushed
up=$(grep -o 'DELETE /v2/drydock-audit-[0-9a-f]*/blobs/uploads/[^ ]*' "$T/open.txt" | head -1 | cut -d' ' -f2)
st=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PO$up")
left=$(find "$T/open/data" -path '*drydock-audit-*' \( -name data -o -name link \) 2> /dev/null | wc -l)
cat=$(curl -s -m 5 "http://127.0.0.1:$PO/v2/_catalog")
if grep -q 'registry.anonymous-push .*-> 202; DELETE .* -> 204 (upload cancelled)' "$T/open.txt" &&
  [ -n "$up" ] && [ "$st" = 404 ] && [ "$left" = 0 ] && [ "$cat" = '{"repositories":["team/app"]}' ]; then
  pass "audit --probe-push: upload started (202) and cancelled (204), the upload URL answers 404, no blob data or link stored, catalog unchanged"
else
  fail "audit --probe-push: upload '$up' -> $st, $left files left, catalog $cat"
fi
# without --probe-push no upload is ever started
$DD registry audit "127.0.0.1:$PO" --daemon-ports '' --debug-ports '' > "$T/nopush.txt"
if ! grep -q 'blobs/uploads' "$T/nopush.txt"; then
  pass "audit without --probe-push: no upload probe"
else
  fail "audit without --probe-push: $(grep uploads "$T/nopush.txt")"
fi

# ---------------------------------------------------------------- locked
PL=$(free_port)
htpasswd -Bbn testuser testpass > "$T/locked/htpasswd"
if ! registry "$T/locked" "$PL" 1 1 false; then
  fail "audit locked registry: did not start ($(head -c 300 "$T/locked/log"))"
else
  # every probe asked for, debug and daemon ports that nobody listens on
  $DD registry audit "127.0.0.1:$PL" --ca-file "$T/locked/ca.crt" --probe-push --probe-default-creds \
    --daemon-ports "$(free_port),$(free_port)" --debug-ports "$(free_port)" > "$T/locked.txt" 2>&1
  rc=$?
  if [ $rc = 0 ] && ! grep -Eq '^  (HIGH|MEDIUM|LOW|CRITICAL) ' "$T/locked.txt" &&
    grep -q '^  INFO .*registry.auth-required' "$T/locked.txt" &&
    grep -q '^  INFO .*registry.push-needs-auth' "$T/locked.txt" &&
    grep -q '^  INFO .*registry.tls .*days' "$T/locked.txt"; then
    pass "audit locked registry: only INFO lines, exit 0"
  else
    fail "audit locked registry: exit $rc: $(head -c 900 "$T/locked.txt")"
  fi
  # the same server without its CA: the certificate does not verify
  $DD registry audit "127.0.0.1:$PL" > "$T/noca.txt" 2>&1
  if [ -z "$(rules_exactly registry.tls-untrusted "$T/noca.txt")" ]; then
    pass "audit locked registry without its CA: registry.tls-untrusted"
  else
    fail "audit without CA: $(head -c 400 "$T/noca.txt")"
  fi
fi

# ---------------------------------------------------------------- bad certificates
for kind in selfsigned expired mismatch expiring; do
  PT=$(free_port)
  certs "$T/$kind" $kind
  if ! registry "$T/$kind" "$PT" 1 1 false; then
    fail "audit $kind: registry did not start ($(head -c 300 "$T/$kind/log"))"
    continue
  fi
  ca=()
  [ -f "$T/$kind/ca.crt" ] && ca=(--ca-file "$T/$kind/ca.crt")
  $DD registry audit "127.0.0.1:$PT" "${ca[@]}" --daemon-ports '' --debug-ports '' > "$T/$kind.txt" 2>&1
  case $kind in
    selfsigned) want=registry.tls-self-signed ev='subject /CN=localhost, issuer /CN=localhost' ;;
    expired) want=registry.tls-cert-expired ev='notAfter=' ;;
    mismatch) want=registry.tls-hostname-mismatch ev='host 127.0.0.1; certificate subject /CN=other.example, names DNS:other.example' ;;
    expiring) want=registry.tls-cert-expiring ev='(9 days left)\|(10 days left)' ;;
  esac
  bad=$(rules_exactly "$want" "$T/$kind.txt")
  if [ -z "$bad" ] && grep "$want " "$T/$kind.txt" | grep -q "$ev"; then
    pass "audit $kind certificate: $want alone, with evidence"
  else
    fail "audit $kind:$bad $(head -c 600 "$T/$kind.txt")"
  fi
done

# ---------------------------------------------------------------- weak TLS
certs "$T/weak"
if ! fake weak-tls weak --tls "$T/weak/server.crt" "$T/weak/server.key"; then
  skip "audit weak TLS: this Python/OpenSSL cannot serve TLS 1.0 ($(tail -1 "$T/weak.log"))"
else
  $DD registry audit "127.0.0.1:$FPORT" --ca-file "$T/weak/ca.crt" --daemon-ports '' --debug-ports '' > "$T/weak.txt" 2>&1
  if grep -q 'registry.tls-not-checked .*TLSv1.0' "$T/weak.txt"; then
    skip "audit weak TLS: the local OpenSSL cannot offer TLS 1.0 (the audit says so: $(grep -o 'not offered[^]]*' "$T/weak.txt"))"
  elif [ "$(grep -c '^  MEDIUM   registry.tls-old-protocol .*TLSv1.0 accepted.*TLSv1.1 accepted' "$T/weak.txt")" = 1 ] &&
    [ "$(grep -c '^  HIGH     registry.tls-weak-cipher .*NULL (no encryption) accepted.*anonymous (no authentication) accepted' "$T/weak.txt")" = 1 ] &&
    grep -q '^  INFO     registry.tls-not-checked .*not offered by the local OpenSSL' "$T/weak.txt"; then
    pass "audit weak TLS: TLS 1.0/1.1 and NULL/anonymous ciphers reported once each; what the local OpenSSL cannot offer is said (INFO)"
  else
    fail "audit weak TLS: $(grep tls "$T/weak.txt" | head -c 900)"
  fi
fi

# ---------------------------------------------------------------- harbor
if ! fake harbor harbor --tls "$T/locked/server.crt" "$T/locked/server.key" --authlog "$T/harbor.auth"; then
  fail "audit harbor: fake did not start ($(cat "$T/harbor.log"))"
else
  PH=$FPORT
  : > "$T/harbor.auth"
  $DD registry audit "127.0.0.1:$PH" --ca-file "$T/locked/ca.crt" --daemon-ports '' --debug-ports '' > "$T/harbor.txt" 2>&1
  rc=$?
  bad=$(rules_exactly registry.harbor-version-disclosure registry.harbor-anonymous-projects "$T/harbor.txt")
  grep -q 'harbor_version v2.9.1-5c8e2b3c' "$T/harbor.txt" || bad="$bad version-evidence"
  grep -q '2 projects, e.g. library' "$T/harbor.txt" || bad="$bad projects-evidence"
  if [ -z "$bad" ] && [ $rc = 0 ] && [ ! -s "$T/harbor.auth" ]; then
    pass "audit harbor: version leak and anonymous projects once each; no credential sent without --probe-default-creds"
  else
    fail "audit harbor: exit $rc;$bad; auth sent: $(cat "$T/harbor.auth") $(head -c 600 "$T/harbor.txt")"
  fi
  $DD registry audit "127.0.0.1:$PH" --ca-file "$T/locked/ca.crt" --daemon-ports '' --debug-ports '' \
    --probe-default-creds > "$T/harbor2.txt" 2>&1
  rc=$?
  if [ $rc = 1 ] && [ "$(grep -c '^  CRITICAL registry.harbor-default-admin .*users/current as admin/Harbor12345 -> 200' "$T/harbor2.txt")" = 1 ] &&
    [ "$(wc -l < "$T/harbor.auth")" = 1 ] && grep -q '^GET /api/v2.0/users/current Basic ' "$T/harbor.auth"; then
    pass "audit harbor --probe-default-creds: CRITICAL, exactly one request carried the password (users/current)"
  else
    fail "audit harbor default creds: exit $rc; $(cat "$T/harbor.auth") $(grep harbor "$T/harbor2.txt")"
  fi
fi
# a realm on a look-alike host: the default password is not sent
if ! fake harbor harborlook --tls "$T/locked/server.crt" "$T/locked/server.key" --realm-host 127.0.0.2 \
  --authlog "$T/harborlook.auth"; then
  fail "audit harbor look-alike: fake did not start ($(cat "$T/harborlook.log"))"
else
  : > "$T/harborlook.auth"
  $DD registry audit "127.0.0.1:$FPORT" --ca-file "$T/locked/ca.crt" --daemon-ports '' --debug-ports '' \
    --probe-default-creds > "$T/harborlook.txt" 2>&1
  if grep -q '^  HIGH     registry.token-realm-lookalike ' "$T/harborlook.txt" &&
    grep -q '^  INFO     registry.default-creds-not-probed ' "$T/harborlook.txt" &&
    ! grep -q 'registry.harbor-default-admin' "$T/harborlook.txt" && [ ! -s "$T/harborlook.auth" ]; then
    pass "audit harbor with a look-alike realm: no credential sent (default-creds-not-probed)"
  else
    fail "audit harbor look-alike: auth sent '$(cat "$T/harborlook.auth")' $(head -c 600 "$T/harborlook.txt")"
  fi
fi

# ---------------------------------------------------------------- hostile server
if ! fake huge huge; then
  fail "audit hostile server: fake did not start ($(cat "$T/huge.log"))"
else
  $DD registry audit "127.0.0.1:$FPORT" --daemon-ports '' --debug-ports '' > "$T/huge.txt" 2> "$T/huge.err"
  rc=$?
  if [ $rc = 1 ] && grep -q ' registry.anonymous-access ' "$T/huge.txt" && ! grep -q 'AddressSanitizer' "$T/huge.err"; then
    pass "audit hostile server (2000 headers, 8 MiB bodies): finishes, capped, exit 1"
  else
    fail "audit hostile server: exit $rc $(head -c 300 "$T/huge.err") $(head -c 300 "$T/huge.txt")"
  fi
fi

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
