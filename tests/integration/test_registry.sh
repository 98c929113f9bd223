#!/bin/bash
# tests/integration/test_registry.sh - images straight from a registry:
#  - a real Debian docker-registry on 127.0.0.1 with a throwaway CA and
#    htpasswd auth; images pushed with skopeo copy
#  - pulls of a single-platform and a multi-platform image (--platform),
#    results identical to scanning the local OCI layout
#  - credentials from --username/--password-stdin and from a docker
#    config.json (--auth-file); CA from --ca-file and from a certs.d dir
#  - wrong credentials, anonymous access, unknown tag, untrusted
#    certificate, plain HTTP without --insecure-registry: one line each
#  - plain HTTP with --insecure-registry: a trust finding
#  - a layer blob tampered in the registry's storage: integrity finding
#  - a registry that dies in the middle of a blob: a clean error
# Servers listen on 127.0.0.1 only and are stopped by PID.
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
A=$IMAGES/alpine-3.20/oci
R=$IMAGES/risky/oci
for tool in docker-registry skopeo htpasswd openssl; do
  if ! command -v $tool > /dev/null; then
    skip "registry tests: $tool not installed (docker-registry, skopeo, apache2-utils)"
    exit 0
  fi
done
if [ ! -d "$A" ] || [ ! -d "$R" ]; then
  skip "registry tests: alpine-3.20 / risky images not built"
  exit 0
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { # port scheme
  for _ in $(seq 1 80); do
    curl -s -k -o /dev/null "$2://127.0.0.1:$1/v2/" && return 0
    sleep 0.25
  done
  return 1
}

# ---------------------------------------------------------------- the registry
P=$(free_port)
mkdir -p "$T/reg/certs" "$T/reg/auth" "$T/reg/data"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=drydock-test-ca \
  -keyout "$T/reg/certs/ca.key" -out "$T/reg/certs/ca.crt" 2> /dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
  -keyout "$T/reg/certs/server.key" -out "$T/reg/certs/server.csr" 2> /dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$T/reg/certs/ext.cnf"
openssl x509 -req -in "$T/reg/certs/server.csr" -CA "$T/reg/certs/ca.crt" -CAkey "$T/reg/certs/ca.key" \
  -CAcreateserial -days 2 -extfile "$T/reg/certs/ext.cnf" -out "$T/reg/certs/server.crt" 2> /dev/null
htpasswd -Bbn testuser testpass > "$T/reg/auth/htpasswd"
cat > "$T/reg/config.yml" <<EOF
version: 0.1
log: {level: error}
storage:
  filesystem: {rootdirectory: $T/reg/data}
http:
  addr: 127.0.0.1:$P
  secret: test-only
  tls: {certificate: $T/reg/certs/server.crt, key: $T/reg/certs/server.key}
auth:
  htpasswd: {realm: drydock-test, path: $T/reg/auth/htpasswd}
EOF
docker-registry serve "$T/reg/config.yml" > "$T/reg/log" 2>&1 &
PIDS="$PIDS $!"
if ! wait_port "$P" https; then
  fail "registry did not start: $(tail -3 "$T/reg/log")"
  exit 0
fi
H=127.0.0.1:$P
mkdir -p "$T/cd" && cp "$T/reg/certs/ca.crt" "$T/cd/"
push() { skopeo copy -q "$@" --dest-creds testuser:testpass --dest-cert-dir "$T/cd"; }
push "oci:$A:3.20.3" "docker://$H/alpine:3.20"
push "oci:$R:latest" "docker://$H/team/risky:latest"
# a two-platform index: the alpine image as linux/amd64 and as linux/arm64
python3 - "$A" "$T/multi" <<'EOF'
import hashlib, json, os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
shutil.copytree(src, dst)
b = os.path.join(dst, "blobs", "sha256")
def put(o):
    data = json.dumps(o, separators=(",", ":")).encode()
    d = hashlib.sha256(data).hexdigest()
    open(os.path.join(b, d), "wb").write(data)
    return {"digest": "sha256:" + d, "size": len(data)}
idx = json.load(open(os.path.join(dst, "index.json")))
m0 = idx["manifests"][0]
man = json.load(open(os.path.join(b, m0["digest"][7:])))
cfg = json.load(open(os.path.join(b, man["config"]["digest"][7:])))
cfg["architecture"] = "arm64"; cfg["variant"] = "v8"
cfg.setdefault("config", {})["Env"] = ["PLATFORM=arm64"]
c = put(cfg); man["config"].update(c)
m1 = put(man)
index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [
    {"mediaType": m0["mediaType"], "digest": m0["digest"], "size": m0["size"], "platform": {"os": "linux", "architecture": "amd64"}},
    {"mediaType": m0["mediaType"], **m1, "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}}]}
i = put(index)
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": index["mediaType"], **i,
           "annotations": {"org.opencontainers.image.ref.name": "multi"}}]}, open(os.path.join(dst, "index.json"), "w"))
EOF
push --all "oci:$T/multi:multi" "docker://$H/multi:1"

CA=(--ca-file "$T/reg/certs/ca.crt")
scan() { # args... ; password from $PW
  printf '%s\n' "${PW:-testpass}" | "$DD" scan -q --format json --username testuser --password-stdin "${CA[@]}" "$@"
}

# ---------------------------------------------------------------- pulls
scan --scanners secret,malware,config "$H/team/risky:latest" > "$T/r.json"; rc=$?
"$DD" scan -q --format json --scanners secret,malware,config "$R" > "$T/l.json"
ids() { jq -r '.findings[] | "\(.id)|\(.path)|\(.layer)"' "$1" | sort; }
if [ $rc = 1 ] && [ "$(ids "$T/r.json")" = "$(ids "$T/l.json")" ] &&
  [ "$(jq -r .image.name "$T/r.json")" = "$H/team/risky:latest" ] &&
  [ "$(jq -r .image.manifest_digest "$T/r.json")" = "$(jq -r .image.manifest_digest "$T/l.json")" ]; then
  pass "registry pull (Basic auth, --ca-file): risky scans exactly as its OCI layout ($(jq '.findings | length' "$T/r.json") findings, same manifest digest)"
else
  fail "registry risky: rc=$rc $(diff <(ids "$T/r.json") <(ids "$T/l.json") | head -5)"
fi
"$DD" inspect --format json --username testuser --password-stdin "${CA[@]}" --platform linux/arm64 "$H/multi:1" <<< testpass > "$T/m.json"
a=$(jq -r '.platform | [.os, .architecture, .variant // empty] | join("/")' "$T/m.json")
"$DD" inspect --format json --username testuser --password-stdin "${CA[@]}" "$H/multi:1" <<< testpass > "$T/m2.json"
b=$(jq -r '.platform | [.os, .architecture, .variant // empty] | join("/")' "$T/m2.json")
[ "$a" = linux/arm64/v8 ] && [ "$b" = linux/amd64 ] && pass "multi-platform index: --platform linux/arm64 picks arm64, the default picks amd64" ||
  fail "multi-platform: '$a' '$b'"
# credentials from a docker config.json; CA from a certs.d directory
mkdir -p "$T/dc" "$T/certs.d/$H"
cp "$T/reg/certs/ca.crt" "$T/certs.d/$H/ca.crt"
printf '{"auths":{"%s":{"auth":"%s"}}}' "$H" "$(printf testuser:testpass | base64)" > "$T/dc/config.json"
DOCKER_CONFIG=$T/dc "$DD" scan -q --scanners config --format json --certs-dir "$T/certs.d" "$H/alpine:3.20" > "$T/a.json"; rc=$?
[ "$(jq -r '[.findings[].id] | sort | join(",")' "$T/a.json")" = "config.no-healthcheck,config.user-root" ] &&
  pass "credentials from \$DOCKER_CONFIG/config.json and the CA from certs.d/$H/ca.crt" || fail "config.json/certs.d: rc=$rc"

# a credential helper (credsStore), as docker login with a keychain leaves
mkdir -p "$T/bin" "$T/dh"
cat > "$T/bin/docker-credential-drytest" <<'EOF2'
#!/bin/sh
[ "$1" = get ] || exit 1
read -r server
[ "$server" = "$EXPECT_SERVER" ] || { echo "credentials not found in native keychain"; exit 1; }
printf '{"ServerURL":"%s","Username":"testuser","Secret":"testpass"}\n' "$server"
EOF2
chmod +x "$T/bin/docker-credential-drytest"
printf '{"auths":{"%s":{}},"credsStore":"drytest"}' "$H" > "$T/dh/config.json"
PATH="$T/bin:$PATH" EXPECT_SERVER=$H DOCKER_CONFIG=$T/dh "$DD" scan -q --scanners config --format json "${CA[@]}" \
  "$H/alpine:3.20" > "$T/h.json"; rc=$?
[ "$(jq '.findings | length' "$T/h.json" 2> /dev/null)" = 2 ] &&
  pass "credentials from a credsStore helper (docker-credential-drytest get)" || fail "cred helper: rc=$rc"

# ---------------------------------------------------------------- registry ls / scan
push "oci:$A:3.20.3" "docker://$H/alpine:latest"
reg() { printf 'testpass\n' | "$DD" registry "$@" --username testuser --password-stdin "${CA[@]}"; }
got=$(reg ls --page-size 1 "$H" | tr '\n' ' ')
[ "$got" = "$H/alpine $H/multi $H/team/risky " ] && pass "registry ls: the catalog across Link pages (page size 1): $got" ||
  fail "registry ls: '$got'"
got=$(reg ls --page-size 1 --format json "$H/alpine" | jq -r '.alpine | sort | join(",")')
[ "$got" = "3.20,latest" ] && pass "registry ls HOST/REPO: tags across pages ($got)" || fail "registry ls tags: '$got'"
reg scan --skip-vuln --format json "$H" > "$T/s.jsonl"; rc=$?
jq -s '[.[] | select(.type == "image")]' "$T/s.jsonl" > "$T/s.json"
rows=$(jq -r '[.[] | "\(.image)=\(.also_tagged)"] | join(" ")' "$T/s.json")
crit=$(jq -r '.[] | select(.image | test("risky")) | .counts.critical' "$T/s.json")
case "$rows" in
  *"$H/alpine:"*"=3.20"* | *"$H/alpine:"*"=latest"*) dedup=1 ;;
  *) dedup=0 ;;
esac
[ $rc = 1 ] && [ "$(jq length "$T/s.json")" = 3 ] && [ $dedup = 1 ] && [ "$crit" -ge 1 ] &&
  pass "registry scan: 3 distinct digests scanned once each (alpine:3.20 and :latest share one), risky has $crit critical, exit 1" ||
  fail "registry scan: rc=$rc rows=[$rows] crit=$crit"
XDG_CACHE_HOME=$T/nocache reg scan --tags '3.*' "$H/alpine" > "$T/nodb.out" 2> "$T/nodb.err"; rc=$?
[ $rc = 3 ] && grep -q 'vulnerabilities were NOT checked' "$T/nodb.err" && grep -q "^$H/alpine:3.20 " "$T/nodb.out" &&
  pass "registry scan without a database: the other scanners ran, one warning line says vulnerabilities were NOT checked, exit 3" ||
  fail "registry scan without a database: rc=$rc $(cat "$T/nodb.err")"
XDG_CACHE_HOME=$T/nocache reg scan --skip-vuln --tags '3.*' "$H/alpine" > /dev/null 2> "$T/nodb.err"; rc=$?
[ $rc = 0 ] && ! grep -q 'NOT checked' "$T/nodb.err" &&
  pass "registry scan --skip-vuln: no database needed, no warning, exit 0" ||
  fail "registry scan --skip-vuln: rc=$rc $(cat "$T/nodb.err")"
reg scan --skip-vuln --tags '3.*' "$H/alpine" > "$T/s.txt"; rc=$?
[ $rc = 0 ] && [ "$(grep -c "^$H/alpine:3.20 " "$T/s.txt")" = 1 ] && [ "$(grep -c "^$H/" "$T/s.txt")" = 1 ] &&
  grep -qE '^  alpine +1 +' "$T/s.txt" &&
  pass "registry scan HOST/REPO --tags '3.*': one image, then the per-repository summary, exit 0" || fail "registry scan --tags: rc=$rc $(cat "$T/s.txt")"
# a cosign signature tag is a signature, not an image: counted, never scanned
ad=$(jq -r '.[] | select(.image | test("/alpine:")) | .digest' "$T/s.json")
push "oci:$A:3.20.3" "docker://$H/alpine:sha256-${ad#sha256:}.sig"
# --parallel 1 and 3 give the same lines in the same order
reg scan --skip-vuln --format json --parallel 1 "$H" > "$T/p1.jsonl"; r1=$?
reg scan --skip-vuln --format json --parallel 3 "$H" > "$T/p3.jsonl"; r3=$?
n1=$(grep -c '"type":"image"' "$T/p1.jsonl")
[ $r1 = $r3 ] && cmp -s "$T/p1.jsonl" "$T/p3.jsonl" && [ "$n1" = 3 ] &&
  pass "registry scan --parallel 3 = --parallel 1: the same $n1 image lines in the same order, exit $r1" ||
  fail "registry scan --parallel: rc $r1/$r3, $(diff "$T/p1.jsonl" "$T/p3.jsonl" | head -5)"
sig=$(jq -r 'select(.type == "image" and (.image | test("/alpine:"))) | .signature_tag' "$T/p1.jsonl")
rs=$(jq -r 'select(.type == "repository") | "\(.repository):\(.images):\(.signature_tags):\(.worst)"' "$T/p1.jsonl" | tr '\n' ' ')
[ "$sig" = true ] && case "$rs" in "alpine:1:1:"*" multi:1:0:"*" team/risky:1:0:critical ") true;; *) false;; esac &&
  pass "registry scan: the .sig tag marks alpine as signed and is not scanned; one summary line per repository ($rs)" ||
  fail "registry scan signature/summary: sig=$sig repos=[$rs]"
got=$(reg scan --skip-vuln --format json --repos 'team/*' "$H" | jq -r 'select(.type == "image") | .image' | tr '\n' ' ')
[ "$got" = "$H/team/risky:latest " ] && pass "registry scan --repos 'team/*': only team/risky" || fail "registry scan --repos: '$got'"
reg scan --skip-vuln --max-images 2 "$H" > "$T/m.txt"
[ "$(grep -c "^$H/" "$T/m.txt")" = 2 ] && grep -q 'tags not examined: --max-images' "$T/m.txt" &&
  pass "registry scan --max-images 2: two images, the rest counted" || fail "registry scan --max-images: $(cat "$T/m.txt")"
reg scan --skip-vuln --format json --since 2999-01-01 "$H" > "$T/since.jsonl"; rc=$?
ns=$(jq -r 'select(.type == "image") | .status' "$T/since.jsonl" | grep -c '^skipped: created .*before --since$')
[ $rc = 0 ] && [ "$ns" = 3 ] && pass "registry scan --since 2999-01-01: all 3 images skipped by their config date, exit 0" ||
  fail "registry scan --since: rc=$rc skipped=$ns $(head -c 300 "$T/since.jsonl")"
reg scan --since yesterday "$H" > /dev/null 2> "$T/err"; rc=$?
[ $rc = 2 ] && grep -q "takes a date" "$T/err" && pass "registry scan --since yesterday: one usage line, exit 2" || fail "--since bad: rc=$rc $(cat "$T/err")"

# ---------------------------------------------------------------- refusals
one_line() { # label expected-regex cmd...
  local label=$1 re=$2
  shift 2
  "$@" > /dev/null 2> "$T/err"; local rc=$?
  if [ $rc = 3 ] && [ "$(wc -l < "$T/err")" = 1 ] && grep -qE "$re" "$T/err"; then
    pass "$label: exit 3, $(cat "$T/err")"
  else
    fail "$label: rc=$rc $(head -3 "$T/err")"
  fi
}
one_line "wrong password" "^drydock: $H: access denied with the given credentials" \
  sh -c "echo wrong | '$DD' scan -q --scanners config --username testuser --password-stdin --ca-file '$T/reg/certs/ca.crt' $H/alpine:3.20"
one_line "anonymous" "^drydock: $H: authentication required" \
  env HOME="$T/nohome" DOCKER_CONFIG="$T/nohome" "$DD" scan -q --scanners config --ca-file "$T/reg/certs/ca.crt" "$H/alpine:3.20"
one_line "unknown tag" "^drydock: $H/alpine:nope: no such image in the registry \(MANIFEST_UNKNOWN" \
  sh -c "echo testpass | '$DD' scan -q --scanners config --username testuser --password-stdin --ca-file '$T/reg/certs/ca.crt' $H/alpine:nope"
one_line "untrusted certificate" "^drydock: $H: TLS: .*add the registry's CA with --ca-file" \
  sh -c "echo testpass | '$DD' scan -q --scanners config --username testuser --password-stdin $H/alpine:3.20"

# ---------------------------------------------------------------- plain HTTP
PH=$(free_port)
python3 "$HERE/mini_registry.py" "$A" "$PH" > /dev/null 2>&1 &
PIDS="$PIDS $!"
wait_port "$PH" http || fail "mini registry did not start"
one_line "plain HTTP without --insecure-registry" "^drydock: 127.0.0.1:$PH: .*does not speak TLS.*--insecure-registry" \
  "$DD" scan -q --scanners config "127.0.0.1:$PH/alpine:3.20.3"
"$DD" scan -q --format json --scanners config --insecure-registry "127.0.0.1:$PH" "127.0.0.1:$PH/alpine:3.20.3" > "$T/p.json"; rc=$?
t=$(jq -r '[.findings[] | select(.id=="trust.untrusted-source") | .severity] | join(",")' "$T/p.json")
[ "$t" = MEDIUM ] && pass "--insecure-registry: pulled over HTTP and reported as trust.untrusted-source" || fail "insecure: rc=$rc '$t'"
echo testpass | "$DD" scan -q --scanners config --insecure-registry "127.0.0.1:$PH" --username u --password-stdin \
  "127.0.0.1:$PH/alpine:3.20.3" > /dev/null 2>&1
# (the mini registry asks for no credentials: nothing to refuse; a registry
# that does is refused in client.c before any header is sent)

# ---------------------------------------------------------------- Bearer tokens, redirects
PB=$(free_port)
python3 "$HERE/mini_registry.py" "$A" "$PB" --tls "$T/reg/certs/server.crt" "$T/reg/certs/server.key" \
  --bearer tokuser:tokpass > "$T/mini.log" 2>&1 &
PIDS="$PIDS $!"
wait_port "$PB" https || fail "token registry did not start: $(tail -3 "$T/mini.log")"
echo tokpass | "$DD" scan -q --format json --scanners config --username tokuser --password-stdin "${CA[@]}" \
  "127.0.0.1:$PB/alpine:3.20.3" > "$T/b.json"; rc=$?
st=$(curl -s --cacert "$T/reg/certs/ca.crt" "https://127.0.0.1:$PB/stats")
n=$(jq '[.findings[] | select(.id=="config.user-root")] | length' "$T/b.json" 2> /dev/null)
[ $rc = 0 ] && [ "$n" = 1 ] && [ "$(echo "$st" | jq .leaked_auth)" = 0 ] && [ "$(echo "$st" | jq .token_requests)" = 1 ] &&
  pass "Bearer: one token fetched with Basic credentials and reused; blobs redirected to another host got no Authorization ($st)" ||
  fail "bearer: rc=$rc n=$n stats=$st $(tail -2 "$T/mini.log")"
echo wrong | "$DD" scan -q --scanners config --username tokuser --password-stdin "${CA[@]}" \
  "127.0.0.1:$PB/alpine:3.20.3" > /dev/null 2> "$T/err"; rc=$?
[ $rc = 3 ] && grep -q "token service .*access denied" "$T/err" && pass "Bearer with a wrong password: $(cat "$T/err")" ||
  fail "bearer wrong: rc=$rc $(cat "$T/err")"

# a token realm on another domain (localhost is not 127.0.0.1's domain):
# the credentials are withheld, the anonymous token request is refused,
# and the one line says why and what to add
PX=$(free_port)
python3 "$HERE/mini_registry.py" "$A" "$PX" --tls "$T/reg/certs/server.crt" "$T/reg/certs/server.key" \
  --bearer tokuser:tokpass --realm-host localhost > "$T/minix.log" 2>&1 &
PIDS="$PIDS $!"
wait_port "$PX" https || fail "foreign-realm registry did not start: $(tail -3 "$T/minix.log")"
echo tokpass | "$DD" scan -q --scanners config --username tokuser --password-stdin "${CA[@]}" \
  "127.0.0.1:$PX/alpine:3.20.3" > /dev/null 2> "$T/err"; rc=$?
st=$(curl -s --cacert "$T/reg/certs/ca.crt" "https://127.0.0.1:$PX/stats")
[ $rc = 3 ] && [ "$(wc -l < "$T/err")" = 1 ] && grep -q "the credentials were not sent: the token service is on another domain.*--token-host" "$T/err" &&
  [ "$(echo "$st" | jq .token_requests)" -ge 1 ] &&
  pass "Bearer realm on another domain: credentials withheld, one line ($(cat "$T/err"))" ||
  fail "foreign realm: rc=$rc $(cat "$T/err") $st"
if openssl x509 -in "$T/reg/certs/server.crt" -noout -ext subjectAltName 2> /dev/null | grep -q 'DNS:localhost'; then
  echo tokpass | "$DD" scan -q --format json --scanners config --username tokuser --password-stdin "${CA[@]}" \
    --token-host localhost "127.0.0.1:$PX/alpine:3.20.3" > "$T/x.json" 2> "$T/err"; rc=$?
  [ $rc = 0 ] && [ "$(jq '[.findings[] | select(.id=="trust.untrusted-source")] | length' "$T/x.json")" = 0 ] &&
    pass "--token-host localhost: that token service gets the credentials; the pull works, no finding" ||
    fail "--token-host: rc=$rc $(cat "$T/err")"
else
  skip "--token-host: the test certificate does not name localhost"
fi

# ---------------------------------------------------------------- 429 / 503 with Retry-After
PF=$(free_port)
python3 "$HERE/mini_registry.py" "$A" "$PF" --flaky > /dev/null 2>&1 &
PIDS="$PIDS $!"
wait_port "$PF" http || true
"$DD" scan -q --format json --scanners config --insecure-registry "127.0.0.1:$PF" "127.0.0.1:$PF/alpine:3.20.3" > "$T/f.json"; rc=$?
ref=$(curl -s "http://127.0.0.1:$PF/stats" | jq .refused)
n=$(jq '[.findings[] | select(.id=="config.user-root")] | length' "$T/f.json" 2> /dev/null)
[ $rc = 0 ] && [ "$n" = 1 ] && [ "$ref" -ge 3 ] &&
  pass "429/503 with Retry-After on every first request ($ref refused): retried, the pull completes" ||
  fail "flaky: rc=$rc n=$n refused=$ref"

# ---------------------------------------------------------------- dies mid-pull
PT=$(free_port)
python3 "$HERE/mini_registry.py" "$A" "$PT" --truncate > /dev/null 2>&1 &
PIDS="$PIDS $!"
wait_port "$PT" http || fail "truncating registry did not start"
"$DD" scan -q --scanners config --insecure-registry "127.0.0.1:$PT" "127.0.0.1:$PT/alpine:3.20.3" > /dev/null 2> "$T/err"; rc=$?
if [ $rc = 3 ] && [ "$(wc -l < "$T/err")" = 1 ] && grep -q "read error at offset" "$T/err"; then
  pass "registry gone in the middle of a blob (and of each of 3 Range resumes): exit 3, $(cat "$T/err")"
else
  fail "mid-pull: rc=$rc $(head -3 "$T/err")"
fi

# a connection that breaks once mid-blob: resumed with a Range request
PR=$(free_port)
python3 "$HERE/mini_registry.py" "$A" "$PR" --resumable > /dev/null 2>&1 &
PIDS="$PIDS $!"
wait_port "$PR" http || true
"$DD" scan -q --format json --scanners config --insecure-registry "127.0.0.1:$PR" "127.0.0.1:$PR/alpine:3.20.3" > "$T/rs.json"; rc=$?
rg=$(curl -s "http://127.0.0.1:$PR/stats" | jq .ranges)
ig=$(jq '[.findings[] | select(.kind=="integrity")] | length' "$T/rs.json" 2> /dev/null)
[ $rc = 0 ] && [ "$rg" = 1 ] && [ "$ig" = 0 ] &&
  pass "a blob connection cut once: resumed with one Range request, digests verified, exit 0" ||
  fail "resume: rc=$rc ranges=$rg integrity=$ig"

# ---------------------------------------------------------------- tampered blob
L=$(jq -r '.manifests[0].digest' "$A/index.json" | cut -d: -f2)
LD=$(jq -r '.layers[0].digest' "$A/blobs/sha256/$L" | cut -d: -f2)
F=$T/reg/data/docker/registry/v2/blobs/sha256/${LD:0:2}/$LD/data
if [ -f "$F" ]; then
  python3 - "$F" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0xff
open(p, "wb").write(bytes(b))
EOF
  scan --scanners config "$H/alpine:3.20" > "$T/t.json"; rc=$?
  i=$(jq -r '[.findings[] | select(.kind=="integrity") | .id] | unique | join(",")' "$T/t.json")
  [ $rc = 4 ] && [ -n "$i" ] && pass "a layer blob tampered in the registry's storage: integrity finding ($i), exit 4" ||
    fail "tampered: rc=$rc '$i'"
else
  fail "tampered: blob file $F not found in the registry storage"
fi
