#!/usr/bin/env bash
# tests/integration/test_server.sh - `drydock server` end to end on
# 127.0.0.1 with a SQLite store in a temp directory: tokens (only their
# SHA-256 stored), a scan of a server-side OCI layout submitted with an
# admin token, polled until done, its report equal to `drydock scan
# --format json` of the same image; de-duplication; a failed job says
# why; every error status with a JSON body; the queue limit (429); the
# server checked against docs/api/openapi.yaml; 50 concurrent GETs; the
# metrics text; TLS; stopped by PID with SIGTERM.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
DD=${DRYDOCK:-build/drydock}
IMG=$IMAGES/alpine-3.20/oci
if [ ! -d "$IMG" ]; then
  skip "server: $IMG is not built (make-images.sh small)"
  exit 0
fi
command -v curl > /dev/null || { skip "server: no curl"; exit 0; }
T=$(mktemp -d)
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2> /dev/null; done
  for p in $PIDS; do wait "$p" 2> /dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { # base: bounded wait for /readyz
  for _ in $(seq 1 100); do
    curl -fsk -o /dev/null "$1/readyz" 2> /dev/null && return 0
    sleep 0.1
  done
  return 1
}
# the vulnerability database: the Alpine secdb snapshot when there is one
SECDB=../shared/data/feeds/alpine-secdb-2020
DBARGS=()
SCANNERS=()
if [ -d "$SECDB" ] && "$DD" db import --db "$T/db" "$SECDB" > /dev/null 2>&1; then
  DBARGS=(--db "$T/db")
else
  SCANNERS=(--scanners secret,malware,config)
fi
ST=sqlite:$T/store.db

# ------------------------------------------------------------ tokens
for r in read scan admin; do
  "$DD" server token create --store "$ST" --name "t-$r" --role "$r" > "$T/tok-$r.out" 2> "$T/err" ||
    fail "token create $r: $(cat "$T/err")"
done
RTOK=$(tail -1 "$T/tok-read.out")
STOK=$(tail -1 "$T/tok-scan.out")
ATOK=$(tail -1 "$T/tok-admin.out")
[[ $ATOK =~ ^ddt_[A-Za-z0-9_-]{43}$ && $RTOK != "$ATOK" && $STOK != "$ATOK" ]] &&
  pass "server token create: a new random token on the last line, for each role" ||
  fail "server token create: last lines '$RTOK' '$ATOK'"
stored=$(sqlite3 "$T/store.db" "SELECT name || ' ' || role || ' ' || sha256 FROM tokens ORDER BY name" 2>&1)
hash=$(printf '%s' "$ATOK" | sha256sum | cut -d' ' -f1)
if echo "$stored" | grep -q "t-admin admin .*$hash" && ! grep -qF -- "${ATOK#ddt_}" "$T/store.db"; then
  pass "server token create: the store keeps the SHA-256 ($hash), never the token"
else
  fail "server token create: stored '$stored'"
fi
"$DD" server token create --store "$ST" --name x --role root > /dev/null 2> "$T/err"
rc=$?
[ $rc = 2 ] && pass "server token create --role root: exit 2 ($(cat "$T/err"))" || fail "token create bad role: rc=$rc"

# ------------------------------------------------------------ start
P=$(free_port)
B=http://127.0.0.1:$P
"$DD" server --listen "127.0.0.1:$P" --store "$ST" --workers 2 "${DBARGS[@]}" \
  --allow-dir "$IMAGES" > "$T/server.log" 2>&1 &
SPID=$!
PIDS="$SPID"
if wait_ready "$B"; then
  pass "server: /readyz answers on 127.0.0.1:$P"
else
  fail "server did not become ready: $(tail -3 "$T/server.log")"
  exit 0
fi
code=$(curl -s -o "$T/h" -w '%{http_code}' "$B/healthz")
[ "$code" = 200 ] && [ "$(jq -r .status "$T/h")" = ok ] && pass "server: /healthz 200 without a token" ||
  fail "healthz: $code $(cat "$T/h")"

# ------------------------------------------------------------ submit, poll, report
api() { # method path token [body] -> status in $code, body in $T/r
  local m=$1 p=$2 tok=$3 body=${4-}
  local h=()
  [ -n "$tok" ] && h=(-H "Authorization: Bearer $tok")
  if [ -n "$body" ]; then
    code=$(curl -s -o "$T/r" -w '%{http_code}' -X "$m" "${h[@]}" -H 'Content-Type: application/json' --data-binary "$body" "$B$p")
  else
    code=$(curl -s -o "$T/r" -w '%{http_code}' -X "$m" "${h[@]}" "$B$p")
  fi
}
scanners_json='[]'
[ ${#SCANNERS[@]} -gt 0 ] && scanners_json='["secret","malware","config"]'
api POST /api/v1/scans "$ATOK" "{\"image\":\"oci:$IMG\",\"scanners\":$scanners_json}"
ID=$(jq -r .id "$T/r" 2> /dev/null)
[ "$code" = 202 ] && [ "$ID" -gt 0 ] 2> /dev/null && pass "POST /api/v1/scans (admin, local layout): 202 id $ID" ||
  fail "submit: $code $(cat "$T/r")"
api POST /api/v1/scans "$ATOK" "{\"scanners\":$scanners_json,\"image\":\"oci:$IMG\"}"
[ "$code" = 202 ] && [ "$(jq -r .id "$T/r")" = "$ID" ] && [ "$(jq -r .reused "$T/r")" = true ] &&
  pass "POST /api/v1/scans again (same image and options): the same job $ID, reused" ||
  fail "dedupe: $code $(cat "$T/r")"
state=""
for _ in $(seq 1 600); do
  api GET "/api/v1/scans/$ID" "$RTOK"
  state=$(jq -r .state "$T/r" 2> /dev/null)
  [ "$state" = done ] || [ "$state" = failed ] && break
  sleep 0.2
done
[ "$state" = done ] && pass "GET /api/v1/scans/$ID: done after polling ($(jq -c .summary "$T/r"))" ||
  fail "poll: state '$state' $(cat "$T/r")"
cp "$T/r" "$T/job.json"
api GET "/api/v1/scans/$ID/report?format=json" "$RTOK"
cp "$T/r" "$T/srv.json"
"$DD" scan -q "${DBARGS[@]}" "${SCANNERS[@]}" --db-max-age 100000 --format json "oci:$IMG" > "$T/cli.json" 2> "$T/err"
norm() { jq -S '.database.age_seconds = 0' "$1"; }
if [ "$code" = 200 ] && norm "$T/srv.json" > "$T/a" && norm "$T/cli.json" > "$T/b" && diff -u "$T/b" "$T/a" > "$T/diff"; then
  pass "GET /api/v1/scans/$ID/report: equal to drydock scan --format json of the same image ($(jq '.findings | length' "$T/a") findings)"
else
  fail "report differs from drydock scan: $code $(head -c 600 "$T/diff" | tr '\n' ' ')"
fi
want_total=$(jq '.findings | length' "$T/cli.json")
[ "$(jq .summary.total "$T/job.json")" = "$want_total" ] &&
  pass "GET /api/v1/scans/$ID: summary total $want_total = the report's findings" ||
  fail "summary: $(jq -c .summary "$T/job.json") vs $want_total findings"
api GET "/api/v1/scans/$ID/report?format=sarif" "$RTOK"
[ "$code" = 200 ] && [ "$(jq -r .version "$T/r")" = 2.1.0 ] && pass "report?format=sarif: SARIF 2.1.0" ||
  fail "sarif: $code $(head -c 200 "$T/r")"
api GET "/api/v1/images?limit=5" "$RTOK"
dg=$(jq -r .digest "$T/job.json")
[ "$code" = 200 ] && [ "$(jq -r '.images[0].digest' "$T/r")" = "$dg" ] && [ "$(jq -r '.images[0].job' "$T/r")" = "$ID" ] &&
  pass "GET /api/v1/images: the latest done result for $dg (worst $(jq -r '.images[0].worst' "$T/r"))" ||
  fail "images: $code $(cat "$T/r")"

# a job that fails says why (a directory that is not an image)
api POST /api/v1/scans "$ATOK" "{\"image\":\"$IMAGES/alpine-3.20\"}"
FID=$(jq -r .id "$T/r")
for _ in $(seq 1 300); do
  api GET "/api/v1/scans/$FID" "$RTOK"
  state=$(jq -r .state "$T/r")
  [ "$state" = failed ] || [ "$state" = done ] && break
  sleep 0.2
done
err=$(jq -r .error "$T/r")
[ "$state" = failed ] && [ -n "$err" ] && [ "$err" != null ] && pass "a job on a non-image fails with why: $err" ||
  fail "failed job: $state $(cat "$T/r")"
api GET "/api/v1/scans/$FID/report" "$RTOK"
[ "$code" = 409 ] && jq -e .error "$T/r" > /dev/null && pass "report of a failed job: 409 $(jq -c . "$T/r")" ||
  fail "report of failed: $code"

# ------------------------------------------------------------ errors
check_err() { # want label
  if [ "$code" = "$1" ] && jq -e '.error | type == "string"' "$T/r" > /dev/null 2>&1; then
    pass "server: $2: $1 $(jq -c . "$T/r")"
  else
    fail "server: $2: $code $(head -c 200 "$T/r")"
  fi
}
api GET "/api/v1/scans/$ID" ""
check_err 401 "no token"
api GET "/api/v1/scans/$ID" "ddt_not-a-token"
check_err 401 "wrong token"
api POST /api/v1/scans "$RTOK" '{"image":"alpine:3.20"}'
check_err 403 "read token posts a scan"
api POST /api/v1/scans "$STOK" "{\"image\":\"oci:$IMG\"}"
check_err 403 "scan token asks for a server-side path"
api POST /api/v1/scans "$ATOK" '{"image":"/etc"}'
check_err 403 "admin token, path outside --allow-dir"
ln -s /etc "$T/escape"
api POST /api/v1/scans "$ATOK" "{\"image\":\"$T/escape\"}"
check_err 403 "admin token, symlink out of --allow-dir"
api POST /api/v1/scans "$STOK" '{"image":'
check_err 400 "malformed JSON"
api POST /api/v1/scans "$STOK" '{"image":"alpine:3.20","priority":9}'
check_err 400 "unknown field"
api POST /api/v1/scans "$STOK" '{"image":"alpine:3.20","scanners":["nope"]}'
check_err 400 "unknown scanner"
python3 -c 'print("{\"image\":\"" + "a" * 70000 + "\"}")' > "$T/big"
code=$(curl -s -o "$T/r" -w '%{http_code}' -H "Authorization: Bearer $STOK" --data-binary @"$T/big" "$B/api/v1/scans")
check_err 413 "a 70 kB body"
api GET /api/v1/scans/424242 "$RTOK"
check_err 404 "unknown id"
api GET /api/v1/scans/abc "$RTOK"
check_err 404 "id not a number"
api GET /nope "$RTOK"
check_err 404 "unknown endpoint"
api DELETE "/api/v1/scans/$ID" "$ATOK"
check_err 405 "DELETE a scan"
api GET "/api/v1/scans/$ID/report?format=html" "$RTOK"
check_err 400 "report format html"

# ------------------------------------------------------------ OpenAPI
if python3 -c 'import yaml, jsonschema' 2> /dev/null; then
  DD_TOKEN_READ=$RTOK DD_TOKEN_ADMIN=$ATOK DD_IMAGE="oci:$IMG" DD_DONE_ID=$ID \
    python3 tests/integration/openapi_check.py "$B" 429,503,409 > "$T/oa" 2>&1
  cat "$T/oa"
  grep -q '^PASS openapi: every documented' "$T/oa" || fail "openapi check did not finish: $(tail -2 "$T/oa")"
else
  skip "openapi check: python3-yaml or python3-jsonschema missing"
fi

# ------------------------------------------------------------ 50 concurrent GETs
rss0=$(awk '/VmRSS/ {print $2}' /proc/$SPID/status)
for i in $(seq 1 50); do
  case $((i % 3)) in
    0) u="/api/v1/scans/$ID" ;;
    1) u="/api/v1/scans/$ID/report" ;;
    2) u="/api/v1/images" ;;
  esac
  curl -s -o "$T/c$i" -w '%{http_code}\n' -H "Authorization: Bearer $RTOK" "$B$u" > "$T/s$i" &
done
wait $(jobs -p | grep -vx "$SPID") 2> /dev/null
ok=0
for i in $(seq 1 50); do
  [ "$(cat "$T/s$i")" = 200 ] && jq -e . "$T/c$i" > /dev/null 2>&1 && ok=$((ok + 1))
done
hwm=$(awk '/VmHWM/ {print $2}' /proc/$SPID/status)
[ $ok = 50 ] && pass "50 concurrent GETs: all 200 with JSON (server RSS ${rss0} kB before, peak ${hwm} kB)" ||
  fail "concurrent GETs: $ok of 50 ok"

# ------------------------------------------------------------ metrics
api GET /metrics "$RTOK"
if [ "$code" = 200 ] && grep -q '^drydock_queue_depth 0$' "$T/r" && grep -q '^drydock_jobs{state="done"} 1$' "$T/r" &&
  grep -q '^drydock_jobs{state="failed"} 1$' "$T/r" && grep -q '^drydock_scans_total 2$' "$T/r" &&
  grep -q '^# TYPE drydock_scans_total counter$' "$T/r" && grep -q '^drydock_scan_seconds_count 1$' "$T/r" &&
  grep -q '^drydock_scan_seconds_bucket{le="+Inf"} 1$' "$T/r"; then
  pass "GET /metrics: queue depth 0, done 1, failed 1, scans total 2, scan seconds histogram (Prometheus text)"
else
  fail "metrics: $code $(tr '\n' ' ' < "$T/r")"
fi

# ------------------------------------------------------------ stop
kill -TERM "$SPID"
for _ in $(seq 1 100); do kill -0 "$SPID" 2> /dev/null || break; sleep 0.1; done
if kill -0 "$SPID" 2> /dev/null; then
  fail "server: still running 10 s after SIGTERM"
else
  wait "$SPID"
  rc=$?
  [ $rc = 0 ] && pass "server: SIGTERM stops it, exit 0" || fail "server exit $rc: $(tail -2 "$T/server.log")"
fi
PIDS=""
if grep -qE 'runtime error|Sanitizer' "$T/server.log"; then
  fail "server: sanitizer report: $(grep -m1 -E 'runtime error|Sanitizer' "$T/server.log")"
fi
if grep -qF -- "${ATOK#ddt_}" "$T/server.log" || grep -qF -- "${RTOK#ddt_}" "$T/server.log"; then
  fail "server: a token is in the log"
else
  pass "server: no token in the log ($(wc -l < "$T/server.log") lines)"
fi

# ------------------------------------------------------------ queue limit
P2=$(free_port)
B=http://127.0.0.1:$P2
"$DD" server --listen "127.0.0.1:$P2" --store "$ST" --workers 0 --max-queue 1 > "$T/server2.log" 2>&1 &
SPID=$!
PIDS="$SPID"
wait_ready "$B" || fail "queue-only server did not start: $(tail -2 "$T/server2.log")"
api POST /api/v1/scans "$ATOK" "{\"image\":\"oci:$IMG\"}"
check_err 403 "admin token, server-side path, no --allow-dir given"
api POST /api/v1/scans "$STOK" '{"image":"registry.invalid/a:1"}'
first=$code
api POST /api/v1/scans "$STOK" '{"image":"registry.invalid/b:1"}'
[ "$first" = 202 ] && check_err 429 "second job with --max-queue 1" || fail "queue limit: first $first"
api POST /api/v1/scans "$STOK" '{"image":"registry.invalid/a:1"}'
[ "$code" = 202 ] && [ "$(jq -r .reused "$T/r")" = true ] &&
  pass "queue full: a repeat of the queued job still gets its id" || fail "repeat when full: $code"

# ------------------------------------------------------------ TLS
if command -v openssl > /dev/null &&
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 1 \
    -subj /CN=127.0.0.1 > /dev/null 2>&1; then
  P3=$(free_port)
  "$DD" server --listen "127.0.0.1:$P3" --store "$ST" --workers 0 --tls-cert "$T/cert.pem" \
    --tls-key "$T/key.pem" > "$T/server3.log" 2>&1 &
  PIDS="$PIDS $!"
  if wait_ready "https://127.0.0.1:$P3" &&
    [ "$(curl -s --cacert "$T/cert.pem" "https://127.0.0.1:$P3/healthz" | jq -r .status)" = ok ]; then
    pass "server --tls-cert/--tls-key: /healthz over HTTPS"
  elif grep -q 'without TLS' "$T/server3.log"; then
    pass "server --tls-cert: refused with a clear line ($(cat "$T/server3.log"))"
  else
    fail "TLS: $(tail -2 "$T/server3.log")"
  fi
fi
"$DD" server --tls-cert "$T/cert.pem" > /dev/null 2> "$T/err"
[ $? = 2 ] && pass "server --tls-cert without --tls-key: exit 2 ($(cat "$T/err"))" || fail "tls-cert alone"
"$DD" server --listen nowhere > /dev/null 2> "$T/err"
[ $? = 2 ] && pass "server --listen nowhere: exit 2 ($(cat "$T/err"))" || fail "bad listen"
