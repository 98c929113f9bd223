#!/usr/bin/env bash
# bench/registry.sh [DRYDOCK] - the same image scanned from a local
# registry (Debian docker-registry on 127.0.0.1, TLS with a throwaway CA,
# htpasswd auth, pushed with skopeo) and from its OCI tar, in one run:
# 3 alternating runs each, medians compared. IMG=bookworm-big by default
# (bookworm-minbase when big is not built). Figures only.
set -eu
DD=${1:-build/drydock}
IMAGES=${DRYDOCK_TEST_IMAGES:-${XDG_CACHE_HOME:-$HOME/.cache}/drydock-test-images/out}
IMG=${IMG:-bookworm-big}
[ -d "$IMAGES/$IMG" ] || IMG=bookworm-minbase
TAR=$IMAGES/$IMG/$IMG-oci.tar
OCI=$IMAGES/$IMG/oci
[ -f "$TAR" ] || { echo "bench/registry.sh: $TAR missing (make-images.sh)"; exit 2; }
for t in docker-registry skopeo htpasswd; do
  command -v $t > /dev/null || { echo "bench/registry.sh: $t missing"; exit 2; }
done
T=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill $PID; rm -rf "$T"' EXIT
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$T/certs" "$T/data" "$T/cd"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=bench-ca \
  -keyout "$T/certs/ca.key" -out "$T/certs/ca.crt" 2> /dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
  -keyout "$T/certs/s.key" -out "$T/certs/s.csr" 2> /dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > "$T/certs/ext"
openssl x509 -req -in "$T/certs/s.csr" -CA "$T/certs/ca.crt" -CAkey "$T/certs/ca.key" -CAcreateserial \
  -days 2 -extfile "$T/certs/ext" -out "$T/certs/s.crt" 2> /dev/null
htpasswd -Bbn bench benchpw > "$T/htpasswd"
cat > "$T/config.yml" <<EOF
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $T/data}}
http: {addr: 127.0.0.1:$P, secret: bench, tls: {certificate: $T/certs/s.crt, key: $T/certs/s.key}}
auth: {htpasswd: {realm: bench, path: $T/htpasswd}}
EOF
docker-registry serve "$T/config.yml" > "$T/log" 2>&1 &
PID=$!
for _ in $(seq 1 80); do curl -s --cacert "$T/certs/ca.crt" -o /dev/null "https://127.0.0.1:$P/v2/" && break; sleep 0.25; done
cp "$T/certs/ca.crt" "$T/cd/"
TAG=$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' "$OCI/index.json")
skopeo copy -q --dest-creds bench:benchpw --dest-cert-dir "$T/cd" "oci:$OCI:$TAG" "docker://127.0.0.1:$P/$IMG:$TAG"
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
: > "$T/reg"; : > "$T/tar"
for _ in 1 2 3; do
  echo benchpw | /usr/bin/time -f '%e' -o "$T/t" "$DD" scan -q --scanners secret,malware,config --format json \
    --ca-file "$T/certs/ca.crt" --username bench --password-stdin "127.0.0.1:$P/$IMG:$TAG" > "$T/reg.json" || true
  cat "$T/t" >> "$T/reg"
  /usr/bin/time -f '%e' -o "$T/t" "$DD" scan -q --scanners secret,malware,config --format json "$TAR" > "$T/tar.json" || true
  cat "$T/t" >> "$T/tar"
done
r=$(median < "$T/reg")
l=$(median < "$T/tar")
same=$(diff <(jq -r '.findings[] | .id + " " + (.path // "")' "$T/reg.json" | sort) \
  <(jq -r '.findings[] | .id + " " + (.path // "")' "$T/tar.json" | sort) > /dev/null && echo yes || echo NO)
echo "image: $IMG ($(du -sh "$TAR" | cut -f1) OCI tar), $(nproc) cores; same findings both ways: $same"
printf 'from the registry (HTTPS, Basic auth, streamed): %6.2f s (median of 3)\n' "$r"
printf 'from the OCI tar:                                %6.2f s (median of 3)\n' "$l"
printf 'ratio registry / tar:                            %6.2f (target <= 1.2)\n' "$(echo "$r / $l" | bc -l)"
