#!/usr/bin/env bash
# CLI behaviour: every form of an image gives the same metadata; usage and
# input errors are one line with the documented exit codes; multi-image
# archives need a tag; deleted files are listed.
set -u
. "$(dirname "$0")/lib.sh"
DD=$DRYDOCK
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

expect_exit() { # name want cmd...
  local name=$1 want=$2; shift 2
  "$@" >"$work/o" 2>"$work/e"; local rc=$?
  if [ "$rc" = "$want" ]; then pass "$name (exit $rc)"; else fail "$name: exit $rc, want $want: $(head -c 300 "$work/e")"; fi
}
expect_exit "cli: no arguments is a usage error" 2 "$DD"
expect_exit "cli: unknown command" 2 "$DD" frobnicate
expect_exit "cli: inspect --help" 0 "$DD" inspect --help
expect_exit "cli: ls --help" 0 "$DD" ls --help
expect_exit "cli: bad --format" 2 "$DD" ls --format xml /nonexistent
expect_exit "cli: missing image" 3 "$DD" inspect /nonexistent/image.tar
lines=$(wc -l < "$work/e")
[ "$lines" = 1 ] && grep -q '/nonexistent/image.tar' "$work/e" && pass "cli: missing image is one line naming it" || fail "cli: missing image message: $(cat "$work/e")"
printf 'not a tar at all' > "$work/junk.tar"
expect_exit "cli: junk file" 3 "$DD" inspect "$work/junk.tar"
grep -q 'junk.tar' "$work/e" && pass "cli: junk file error names it" || fail "cli: junk error: $(cat "$work/e")"

if [ ! -d "$IMAGES/alpine-3.20/oci" ]; then skip "cli image tests: images not built"; exit 0; fi
A=$IMAGES/alpine-3.20
ref=""
for form in "$A/alpine-3.20-docker.tar" "$A/alpine-3.20-docker25.tar" "$A/oci" "$A/alpine-3.20-oci.tar" \
            "docker-archive:$A/alpine-3.20-docker.tar" "oci:$A/oci:3.20.3"; do
  got=$("$DD" inspect -q --format json "$form" | jq -c '{c: .config_digest, l: [.layers[].computed_diff_id], u: .user, cmd: .cmd, f: .files}')
  if [ -z "$ref" ]; then ref=$got; fi
  [ -n "$got" ] && [ "$got" = "$ref" ] && pass "cli: inspect $form agrees" || fail "cli: inspect $form: $got vs $ref"
done
expect_exit "cli: oci tag that does not exist" 3 "$DD" inspect "oci:$A/oci:nope"
grep -q '3.20.3' "$work/e" && pass "cli: unknown tag lists the choices" || fail "cli: unknown tag msg: $(cat "$work/e")"
expect_exit "cli: wrong platform" 3 "$DD" inspect --platform linux/s390x "$A/oci"
grep -q 'linux/amd64' "$work/e" && pass "cli: wrong platform lists available" || fail "cli: platform msg: $(cat "$work/e")"

# a docker archive with two images must ask which one
python3 - "$IMAGES/alpine-3.9/alpine-3.9-docker.tar" "$IMAGES/alpine-3.20/alpine-3.20-docker.tar" "$work/two.tar" <<'PY'
import io, json, sys, tarfile
out = tarfile.open(sys.argv[3], "w")
mans, seen = [], set()
for src in sys.argv[1:3]:
    t = tarfile.open(src)
    for m in t.getmembers():
        if m.name in ("manifest.json", "repositories") or m.name in seen:
            continue
        seen.add(m.name)
        out.addfile(m, t.extractfile(m) if m.isfile() else None)
    mans += json.load(t.extractfile("manifest.json"))
b = json.dumps(mans).encode()
ti = tarfile.TarInfo("manifest.json"); ti.size = len(b)
out.addfile(ti, io.BytesIO(b)); out.close()
PY
expect_exit "cli: two-image archive without tag" 3 "$DD" inspect "$work/two.tar"
grep -q 'alpine-3.9' "$work/e" && grep -q 'alpine-3.20' "$work/e" && pass "cli: ambiguity error lists both tags" || fail "cli: ambiguity msg: $(cat "$work/e")"
n=$("$DD" inspect -q --format json "$work/two.tar:alpine-3.9:3.9.6" 2>/dev/null | jq -r .name)
[ "$n" = "alpine-3.9:3.9.6" ] && pass "cli: PATH:TAG picks the image" || fail "cli: PATH:TAG gave '$n'"
n=$("$DD" inspect -q --format json --tag alpine-3.20 "$work/two.tar" 2>/dev/null | jq -r .name)
case "$n" in alpine-3.20:*) pass "cli: --tag NAME picks the image";; *) fail "cli: --tag gave '$n'";; esac

if [ -d "$IMAGES/risky/oci" ]; then
  "$DD" ls -q --deleted --format json "$IMAGES/risky/oci" > "$work/del.json"
  jq -e '[.entries[] | select(.deleted_in_layer != null)] | length > 0' "$work/del.json" >/dev/null \
    && pass "cli: risky image lists files deleted by a later layer" || fail "cli: no deleted files in risky"
  "$DD" ls -q --all-content --format json "$IMAGES/risky/oci" etc > "$work/all.json"
  jq -e '[.entries[] | select(.type=="file") | select(.sha256 == null)] | length == 0' "$work/all.json" >/dev/null \
    && pass "cli: --all-content hashes every file" || fail "cli: --all-content left files unhashed"
  lay=$(jq -r '.entries[] | select(.path=="etc/hostname") | .layer' "$work/all.json")
  lpath=$(tar -xOf "$IMAGES/risky/risky-docker.tar" manifest.json | jq -r ".[0].Layers[$lay]")
  want=$(tar -xOf "$IMAGES/risky/risky-docker.tar" "$lpath" | tar -xOf - --wildcards '*etc/hostname' 2>/dev/null | sha256sum | cut -d' ' -f1)
  got=$(jq -r '.entries[] | select(.path=="etc/hostname") | .sha256' "$work/all.json")
  [ -n "$want" ] && [ "$want" = "$got" ] && pass "cli: content sha256 matches sha256sum" || fail "cli: sha256 $got vs $want"
fi
