#!/bin/bash
# tests/integration/test_daemon.sh - docker:NAME from a Docker-compatible
# Engine API: Debian's `podman system service` on a unix socket in a
# temporary directory (vfs storage, nothing outside it), the risky image
# loaded with `podman load`; its scan must equal the scan of the archive.
# The service is stopped by PID.
set -u
. "$(dirname "$0")/lib.sh"
DD=${DRYDOCK_ASAN:-$DRYDOCK}
RT=$IMAGES/risky/risky-docker.tar
if ! command -v podman > /dev/null; then
  skip "daemon source: podman not installed"
  exit 0
fi
if [ ! -f "$RT" ]; then
  skip "daemon source: risky image not built"
  exit 0
fi
T=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill $PID 2> /dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/run" "$T/graph" "$T/runroot"
cat > "$T/storage.conf" <<EOF2
[storage]
driver = "vfs"
runroot = "$T/runroot"
graphroot = "$T/graph"
EOF2
export XDG_RUNTIME_DIR=$T/run CONTAINERS_STORAGE_CONF=$T/storage.conf
if ! podman load -q -i "$RT" > "$T/load.log" 2>&1; then
  skip "daemon source: podman cannot load images here: $(tail -1 "$T/load.log")"
  exit 0
fi
podman system service --time=0 "unix://$T/podman.sock" > "$T/svc.log" 2>&1 &
PID=$!
for _ in $(seq 1 80); do [ -S "$T/podman.sock" ] && break; sleep 0.25; done
if [ ! -S "$T/podman.sock" ]; then
  skip "daemon source: podman system service did not start: $(tail -1 "$T/svc.log")"
  exit 0
fi
"$DD" scan -q --format json --scanners secret,malware,config --docker-host "$T/podman.sock" \
  docker:localhost/risky:latest > "$T/d.json"; rc=$?
"$DD" scan -q --format json --scanners secret,malware,config "$RT" > "$T/l.json"
ids() { jq -r '.findings[] | "\(.id)|\(.path)|\(.layer)"' "$1" | sort; }
if [ $rc = 1 ] && [ "$(ids "$T/d.json")" = "$(ids "$T/l.json")" ] && [ -n "$(ids "$T/l.json")" ]; then
  pass "docker:localhost/risky:latest from podman's Engine API socket: $(jq '.findings | length' "$T/d.json") findings, as the docker-save archive"
else
  fail "daemon: rc=$rc $(diff <(ids "$T/d.json") <(ids "$T/l.json") | head -5)"
fi
"$DD" scan -q --scanners config --docker-host "$T/podman.sock" docker:localhost/nope:1 > /dev/null 2> "$T/err"; rc=$?
[ $rc = 3 ] && [ "$(cat "$T/err")" = "drydock: docker:localhost/nope:1: no such image in the daemon at $T/podman.sock" ] &&
  pass "docker: unknown image: exit 3, one line" || fail "daemon unknown: rc=$rc $(cat "$T/err")"
"$DD" scan -q --scanners config --docker-host "$T/none.sock" docker:x > /dev/null 2> "$T/err"; rc=$?
[ $rc = 3 ] && grep -q "^drydock: docker:x: daemon at $T/none.sock: " "$T/err" &&
  pass "docker: no daemon on the socket: exit 3, one line" || fail "daemon none: rc=$rc $(cat "$T/err")"
# a bare name (no file of that name) is tried from the daemon first, and
# the report says so
( cd "$T" && "$DD" scan --format json --scanners secret,malware,config --docker-host "$T/podman.sock" \
  risky:latest > "$T/b.json" 2> "$T/b.err" ); rc=$?
if [ $rc = 1 ] && [ "$(ids "$T/b.json")" = "$(ids "$T/l.json")" ] &&
   jq -e '.warnings | any(test("risky:latest is not a local file: it was read from the local container daemon"))' "$T/b.json" > /dev/null &&
   grep -q "^warning: risky:latest is not a local file: it was read from the local container daemon" "$T/b.err"; then
  pass "bare name risky:latest: read from the daemon, same findings, the JSON warnings and stderr say where from"
else
  fail "bare name from the daemon: rc=$rc $(head -3 "$T/b.err") $(jq -c .warnings "$T/b.json" 2>/dev/null)"
fi
