#!/usr/bin/env bash
# bench/sweep.sh [DRYDOCK] - `drydock registry scan` of 40 distinct images
# (variants of the test images: same layers, a config label per variant,
# so every manifest digest differs) in a local Debian docker-registry on
# 127.0.0.1, with --parallel 1 and --parallel 2 in one run. Prints both
# times, the ratio (issue 17's target: <= 0.6 on 2 cores) and whether the
# two sweeps reported the same lines, and the floor the CPU time sets
# (--parallel 1 already reads layers on every core). Figures only.
set -eu
DD=${1:-build/drydock}
IMAGES=${DRYDOCK_TEST_IMAGES:-${XDG_CACHE_HOME:-$HOME/.cache}/drydock-test-images/out}
N=${N:-40}
for t in docker-registry skopeo jq; do
  command -v $t > /dev/null || { echo "bench/sweep.sh: $t missing"; exit 2; }
done
BASES=""
for b in alpine-3.20 risky node-app bookworm-minbase; do
  [ -d "$IMAGES/$b/oci" ] && BASES="$BASES $b"
done
[ -n "$BASES" ] || { echo "bench/sweep.sh: no test images in $IMAGES (make-images.sh small)"; exit 2; }
T=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill $PID; rm -rf "$T"' EXIT
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$T/config.yml" <<EOF
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $T/data}}
http: {addr: 127.0.0.1:$P, secret: bench}
EOF
docker-registry serve "$T/config.yml" > "$T/log" 2>&1 &
PID=$!
for _ in $(seq 1 80); do curl -s -o /dev/null "http://127.0.0.1:$P/v2/" && break; sleep 0.25; done
# N variants, round-robin over the bases: a copy of the layout whose config
# carries a label bench.variant=i (new config and manifest digests, the
# same layer blobs)
i=0
while [ $i -lt "$N" ]; do
  for b in $BASES; do
    [ $i -lt "$N" ] || break
    python3 - "$IMAGES/$b/oci" "$T/v$i" "$i" <<'EOF'
import hashlib, json, os, shutil, sys
src, dst, n = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(os.path.join(dst, "blobs", "sha256"))
for f in os.listdir(os.path.join(src, "blobs", "sha256")):
    os.link(os.path.join(src, "blobs", "sha256", f), os.path.join(dst, "blobs", "sha256", f))
shutil.copy(os.path.join(src, "oci-layout"), dst)
idx = json.load(open(os.path.join(src, "index.json")))
def blob(d): return json.load(open(os.path.join(src, "blobs", "sha256", d[7:])))
def put(obj):
    b = json.dumps(obj).encode(); d = hashlib.sha256(b).hexdigest()
    p = os.path.join(dst, "blobs", "sha256", d)
    if not os.path.exists(p): open(p, "wb").write(b)
    return {"digest": "sha256:" + d, "size": len(b)}
desc = idx["manifests"][0]
man = blob(desc["digest"])
cfg = blob(man["config"]["digest"])
cfg.setdefault("config", {}).setdefault("Labels", {})
cfg["config"]["Labels"] = dict(cfg["config"]["Labels"] or {}, **{"bench.variant": n})
man["config"].update(put(cfg))
m = put(man)
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": desc["mediaType"], **m,
           "annotations": {"org.opencontainers.image.ref.name": "v" + n}}]}, open(os.path.join(dst, "index.json"), "w"))
EOF
    skopeo copy -q --dest-tls-verify=false "oci:$T/v$i:v$i" "docker://127.0.0.1:$P/bench/$b:v$i"
    rm -rf "$T/v$i"
    i=$((i + 1))
  done
done
run() { # parallel
  /usr/bin/time -f '%e %M %U %S' -o "$T/t$1" "$DD" registry scan -q --skip-vuln --format json --parallel "$1" ${SWEEP_ARGS:-} \
    --insecure-registry "127.0.0.1:$P" "127.0.0.1:$P" > "$T/p$1.jsonl" || true
}
[ -n "${SWEEP_SINCE_ONLY:-}" ] && { /usr/bin/time -f "listing and opening only (--since 2999-01-01): %e s" "$DD" registry scan -q --skip-vuln --format json --since 2999-01-01 --insecure-registry "127.0.0.1:$P" "127.0.0.1:$P" > /dev/null; }
run 1
run 2
read -r t1 m1 u1 s1 < <(tail -1 "$T/t1")
read -r t2 m2 u2 s2 < <(tail -1 "$T/t2")
imgs=$(grep -c '"type":"image"' "$T/p1.jsonl")
same=$(cmp -s "$T/p1.jsonl" "$T/p2.jsonl" && echo yes || echo NO)
echo "registry sweep: $imgs distinct images (variants of:$BASES), $(nproc) cores; same lines both ways: $same"
printf -- '--parallel 1: %6.2f s (CPU %.2f s), peak RSS %d MiB\n' "$t1" "$(echo "$u1 + $s1" | bc)" $((m1 / 1024))
printf -- '--parallel 2: %6.2f s (CPU %.2f s), peak RSS %d MiB\n' "$t2" "$(echo "$u2 + $s2" | bc)" $((m2 / 1024))
printf 'ratio parallel 2 / parallel 1: %.2f (target <= 0.6)\n' "$(echo "$t2 / $t1" | bc -l)"
# --parallel 1 already reads an image's layers on every core, so the
# sweep's CPU time over the cores is the floor no --parallel can beat
printf 'floor from CPU time (CPU of --parallel 1 / %d cores / its wall time): %.2f\n' "$(nproc)" \
  "$(echo "($u1 + $s1) / $(nproc) / $t1" | bc -l)"
