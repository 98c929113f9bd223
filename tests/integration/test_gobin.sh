#!/bin/bash
# tests/integration/test_gobin.sh - Go modules of the Go binaries in an
# image, read from their build info, against `go version -m`:
#  - real Debian Go binaries (/usr/bin/skopeo, /usr/bin/docker-registry)
#    and programs compiled here with `go build` from a local module proxy
#    (GOPROXY=file://, no network): deps, a replaced dep, a dep replaced by
#    a directory, a main module with a version (`go install mod@v`),
#    stripped (-ldflags=-s -w), and cross-compiled to PE32, PE32+, Mach-O
#    64 (arm64, amd64) and 32-bit big-endian ELF (mips)
#  - `drydock sbom --format json` of a docker archive and an OCI layout
#    lists, per binary path, exactly the (module, version) set the
#    oracle (gobin_fixture.py want) derives from `go version -m`, plus
#    stdlib; purls pkg:golang/PATH@VERSION and pkg:golang/stdlib@1.x.y
#  - a non-Go ELF, a shell script and a Go binary deleted by a later
#    layer are no packages; a Go binary without an exec bit counts in a
#    bin directory, not elsewhere; a Go binary with broken build info is
#    an inventory warning (exit 4) naming its path
# Needs golang-go, skopeo, docker-registry (installed with apt-get when
# missing and root; SKIP otherwise).
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

need=""
command -v go > /dev/null || need="$need golang-go"
[ -x /usr/bin/skopeo ] || need="$need skopeo"
[ -x /usr/bin/docker-registry ] || need="$need docker-registry"
if [ -n "$need" ]; then
  if [ "$(id -u)" != 0 ] ||
    ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      $need > "$T/apt.log" 2>&1; then
    skip "gobin: could not install$need (apt-get as root)"
    exit 0
  fi
fi

# ---- build the Go programs (offline: a file module proxy)
python3 "$HERE/gobin_fixture.py" proxy "$T/proxy"
export GOPROXY=file://$T/proxy GOSUMDB=off GOPATH=$T/gopath GOFLAGS=-mod=mod \
  CGO_ENABLED=0 GOTOOLCHAIN=local
export GOCACHE=${XDG_CACHE_HOME:-$HOME/.cache}/drydock-test-gocache
R=$T/root
mkdir -p "$R/usr/bin" "$R/usr/local/bin" "$R/app/bin" "$R/opt/data" "$R/bin"
built=1
(
  cd "$T/hello" &&
    go build -o "$R/app/hello" . &&
    go build -ldflags="-s -w" -o "$R/app/hello-stripped" . &&
    GOOS=windows GOARCH=386 go build -o "$R/app/bin/hello386.exe" . &&
    GOOS=windows GOARCH=amd64 go build -ldflags="-s -w" -o "$R/app/bin/hello64.exe" . &&
    GOOS=darwin GOARCH=arm64 go build -o "$R/app/hello-darwin" . &&
    GOOS=darwin GOARCH=amd64 go build -ldflags="-s -w" -o "$R/app/hello-darwin-s" . &&
    GOOS=linux GOARCH=mips go build -o "$R/app/hello-mips" . &&
    GOFLAGS= GOBIN=$T/gobin go install example.com/tool@v1.0.0
) > "$T/build.log" 2>&1 || built=0
if [ $built = 0 ]; then
  fail "gobin: go build failed: $(tail -3 "$T/build.log" | tr '\n' ' ')"
  exit 0
fi
cp "$T/gobin/tool" "$R/usr/local/bin/tool"
cp /usr/bin/skopeo /usr/bin/docker-registry "$R/usr/bin/"
cp "$R/app/hello" "$R/bin/hello-noexec"
chmod 0644 "$R/bin/hello-noexec" "$R/app/bin/hello64.exe"
cp "$R/app/hello" "$R/opt/data/hello.bin"
chmod 0644 "$R/opt/data/hello.bin" # no exec bit, no bin dir: not looked at
cp /bin/ls "$R/usr/bin/ls"
printf '#!/bin/sh\necho hi\n' > "$R/usr/bin/script"
chmod 0755 "$R/usr/bin/script"
cp "$R/app/hello" "$R/app/gone" # deleted by layer 1
python3 - "$R" "$T" << 'EOF'
import os, sys, tarfile
r, t = sys.argv[1], sys.argv[2]
with tarfile.open(t + "/l0.tar", "w", format=tarfile.PAX_FORMAT) as tf:
    for d, dirs, files in sorted(os.walk(r)):
        dirs.sort()
        for n in sorted(dirs + files):
            p = os.path.join(d, n)
            ti = tf.gettarinfo(p, os.path.relpath(p, r))
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = ""
            tf.addfile(ti, open(p, "rb") if ti.isfile() else None)
with tarfile.open(t + "/l1.tar", "w", format=tarfile.PAX_FORMAT) as tf:
    ti = tarfile.TarInfo("app/.wh.gone")
    tf.addfile(ti)
EOF
cat > "$T/spec.json" << EOF
{"out":"$T/img","name":"gobin","tag":"1","config":{},
 "layers":[{"tar":"$T/l0.tar","created_by":"COPY root /"},
           {"tar":"$T/l1.tar","created_by":"RUN rm /app/gone"}]}
EOF
python3 "$ROOT/demo/mkimage.py" "$T/spec.json" > /dev/null

# ---- the oracle: go version -m of each binary that should count
: > "$T/want"
for p in usr/bin/skopeo usr/bin/docker-registry usr/local/bin/tool app/hello \
  app/hello-stripped app/bin/hello386.exe app/bin/hello64.exe app/hello-darwin \
  app/hello-darwin-s app/hello-mips bin/hello-noexec; do
  cp "$R/$p" "$T/x" && chmod 0755 "$T/x" # go version -m wants an exec bit
  go version -m "$T/x" | python3 "$HERE/gobin_fixture.py" want "$p" >> "$T/want"
done
sort -o "$T/want" "$T/want"
ndeps=$(grep -vc $'\tstdlib\t' "$T/want")

for form in "$T/img/gobin-docker.tar" "$T/img/oci"; do
  rc=0
  "$DD" sbom "$form" --format json -q > "$T/sbom.json" 2> "$T/err" || rc=$?
  jq -r '.packages[] | select(.type=="golang") | "\(.db_path)\t\(.name)\t\(.version)"' \
    "$T/sbom.json" | sort > "$T/got"
  if [ "$rc" = 0 ] && [ "$ndeps" -ge 18 ] && cmp -s "$T/want" "$T/got"; then
    pass "gobin $(basename "$form"): $(wc -l < "$T/got") Go packages of 11 binaries equal go version -m ($ndeps modules + stdlib; ELF LE/BE, PE32/32+, Mach-O, stripped)"
  else
    fail "gobin $(basename "$form"): rc=$rc ndeps=$ndeps $(diff "$T/want" "$T/got" | head -6 | tr '\n' ' ')"
  fi
done
w=$(jq -r '.warnings | length' "$T/sbom.json")
[ "$w" = 0 ] && pass "gobin: no warnings for non-Go ELF, scripts and Go binaries" ||
  fail "gobin: warnings $(jq -c .warnings "$T/sbom.json" | head -c 300)"
bad=$(jq -r '.packages[] | select(.type=="golang") |
    select(.purl != ("pkg:golang/" + .name + "@" + .version)) | .purl' "$T/sbom.json")
p1=$(jq -r '[.packages[] | select(.name=="example.com/colorfork") | .purl][0]' "$T/sbom.json")
p2=$(jq -r '[.packages[] | select(.name=="stdlib" and .db_path=="app/hello") | .purl][0]' "$T/sbom.json")
gov=$(go env GOVERSION)
if [ -z "$bad" ] && [ "$p1" = "pkg:golang/example.com/colorfork@v0.3.2" ] &&
  [ "$p2" = "pkg:golang/stdlib@${gov#go}" ]; then
  pass "gobin: purls $p1, $p2"
else
  fail "gobin: purls [$bad] $p1 $p2"
fi
n=$(jq -r '[.packages[] | select(.type=="golang" and (.db_path=="app/gone" or
    .db_path=="opt/data/hello.bin" or .db_path=="usr/bin/ls" or
    .db_path=="usr/bin/script"))] | length' "$T/sbom.json")
l=$(jq -r '[.packages[] | select(.db_path=="app/hello") | .layer] | unique | join(",")' "$T/sbom.json")
[ "$n" = 0 ] && [ "$l" = 0 ] &&
  pass "gobin: deleted, non-Go and non-executable files are no packages; layer 0 attributed" ||
  fail "gobin: $n packages from files that are no Go executables, layers '$l'"

# ---- broken build info: a warning, the rest of the list stays
python3 "$HERE/gobin_fixture.py" corrupt "$R/app/hello" "$T/broken"
mkdir -p "$T/r2/app"
cp "$T/broken" "$T/r2/app/broken"
cp "$R/usr/local/bin/tool" "$T/r2/app/tool"
tar -C "$T/r2" --owner=0 --group=0 -cf "$T/b0.tar" app
cat > "$T/spec2.json" << EOF
{"out":"$T/img2","name":"gobin-broken","tag":"1","config":{},
 "layers":[{"tar":"$T/b0.tar","created_by":"COPY"}]}
EOF
python3 "$ROOT/demo/mkimage.py" "$T/spec2.json" > /dev/null
rc=0
"$DD" sbom "$T/img2/oci" --format json > "$T/b.json" 2> "$T/berr" || rc=$?
nt=$(jq '[.packages[] | select(.db_path=="app/tool")] | length' "$T/b.json")
nb=$(jq '[.packages[] | select(.db_path=="app/broken")] | length' "$T/b.json")
if [ "$rc" = 4 ] && [ "$nt" = 3 ] && [ "$nb" = 0 ] &&
  jq -r '.warnings[]' "$T/b.json" | grep -q 'app/broken (layer 0): build info: module info .* sentinels' &&
  grep -q 'app/broken' "$T/berr"; then
  pass "gobin: broken build info is a warning naming app/broken (exit 4); the other binary's 3 packages stay"
else
  fail "gobin broken: rc=$rc tool=$nt broken=$nb $(jq -c .warnings "$T/b.json" | head -c 300)"
fi
