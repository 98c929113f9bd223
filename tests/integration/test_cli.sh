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


# ------------------------------------------------ option tables (issue 14)
# no test reaches the network: the feed source is a closed local port and
# the cache a temporary directory
export DRYDOCK_FEED_MIRROR=https://127.0.0.1:1 XDG_CACHE_HOME=$work/xdg
mkdir -p "$work/xdg"
one_line() { # name: stderr is exactly one line
  [ "$(wc -l < "$work/e")" = 1 ] && pass "$1: one line" || fail "$1: $(wc -l < "$work/e") lines: $(head -c 400 "$work/e")"
}
expect_exit "cli: scan --severty (typo)" 2 "$DD" scan --severty HIGH x.tar
grep -qxF "drydock scan: unknown option '--severty' (did you mean '--severity'?); see 'drydock scan --help'" "$work/e" \
  && pass "cli: did-you-mean names --severity and the --help pointer" || fail "cli: typo message: $(cat "$work/e")"
one_line "cli: unknown option"
expect_exit "cli: --sevrity=HIGH (typo with =)" 2 "$DD" scan --sevrity=HIGH x.tar
grep -qF "'--sevrity' (did you mean '--severity'?)" "$work/e" && pass "cli: typo with =value: value not shown, suggestion given" || fail "cli: $(cat "$work/e")"
expect_exit "cli: ls --lnog" 2 "$DD" ls --lnog x.tar
grep -qF "(did you mean '--long'?); see 'drydock ls --help'" "$work/e" && pass "cli: ls did-you-mean" || fail "cli: ls typo: $(cat "$work/e")"
expect_exit "cli: unrelated option has no suggestion" 2 "$DD" scan --zzzzzzzzzz x.tar
grep -q "did you mean" "$work/e" && fail "cli: suggestion for nonsense: $(cat "$work/e")" || pass "cli: no suggestion for nonsense"
expect_exit "cli: unknown short option" 2 "$DD" scan -Z x.tar
grep -qF "unknown option '-Z'" "$work/e" && pass "cli: unknown short option named" || fail "cli: -Z: $(cat "$work/e")"
expect_exit "cli: option needs a value" 2 "$DD" scan x.tar --severity
grep -qF -- "--severity needs a value" "$work/e" && pass "cli: missing value said" || fail "cli: $(cat "$work/e")"
expect_exit "cli: flag with a value" 2 "$DD" scan --ignore-unfixed=yes x.tar
for c in scan image sbom inspect ls history dockerfile config "registry" "registry ls" "registry scan" "registry audit" db lookalike verify-blob vercmp; do
  # shellcheck disable=SC2086
  expect_exit "cli: $c --help" 0 "$DD" $c --help
  grep -q '^usage: drydock' "$work/o" && grep -q -- '--config FILE' "$work/o" \
    && pass "cli: $c --help prints its table" || fail "cli: $c --help output: $(head -3 "$work/o")"
done
expect_exit "cli: help scan" 0 "$DD" help scan
grep -q -- '--severity' "$work/o" && pass "cli: drydock help COMMAND" || fail "cli: help scan"
"$DD" scan --help > "$work/o"
for o in "-f, --format" "-o, --output" "-s, --severity" "--exit-code" "--ignore-unfixed" "--ignore-file" "also --ignorefile" \
         "--input" "--scanners" "misconfig" "--skip-dirs" "--skip-files" "--timeout" "--no-progress" "--cache-dir" \
         "--skip-db-update" "--offline-scan" "--list-all-pkgs" "--pkg-types"; do
  grep -qF -- "$o" "$work/o" && pass "cli: scan --help lists $o" || fail "cli: scan --help lacks $o"
done
"$DD" --help > "$work/o"
grep -q '^Exit codes:' "$work/o" && grep -q 'INFO never fails' "$work/o" && grep -q '^  3 ' "$work/o" \
  && pass "cli: drydock --help has the exit-code table" || fail "cli: no exit-code table in --help"
expect_exit "cli: --skip-dirs takes a glob (the missing image is the error)" 3 "$DD" scan --skip-dirs '/usr/**' x.tar
expect_exit "cli: --skip-files= form" 3 "$DD" scan --skip-files=/etc/x x.tar
expect_exit "cli: --pkg-types nonsense refused" 2 "$DD" scan --pkg-types os,gems x.tar
grep -q 'the types are os and library' "$work/e" && one_line "cli: --pkg-types os,gems" || fail "cli: pkg-types: $(cat "$work/e")"
NODE=$IMAGES/node-app/oci
if [ -d "$NODE" ]; then
  for t in os library os,library; do
    "$DD" scan -q --scanners packages --pkg-types $t --list-all-pkgs -f json "$NODE" > "$work/pt.json" 2>/dev/null
    got=$(jq -c '[.packages[].type] | group_by(.) | map({(.[0]): length}) | add' "$work/pt.json")
    case $t in os) want='{"dpkg":101}';; library) want='{"npm":54}';; *) want='{"dpkg":101,"npm":54}';; esac
    [ "$got" = "$want" ] && pass "cli: --pkg-types $t on node-app lists $got" || fail "cli: --pkg-types $t: $got, want $want"
  done
else
  skip "cli: --pkg-types on node-app (no image $NODE)"
fi
expect_exit "cli: --timeout bad" 2 "$DD" scan --timeout 5x x.tar
expect_exit "cli: --timeout 0" 2 "$DD" scan --timeout 0 x.tar
expect_exit "cli: --fail-on info refused (INFO never fails)" 2 "$DD" dockerfile --fail-on info x
grep -q 'INFO never fails' "$work/e" && pass "cli: --fail-on info message" || fail "cli: fail-on info: $(cat "$work/e")"
mkdir -p "$work/fsproj" && printf 'hello\n' > "$work/fsproj/README"
expect_exit "cli: drydock fs DIR scans the directory (Trivy's fs)" 0 "$DD" fs -q --scanners secret "$work/fsproj"
head -1 "$work/o" | grep -q "^fs:$work/fsproj" && pass "cli: drydock fs names the source fs:DIR" ||
  fail "cli: fs: $(head -2 "$work/o")"
expect_exit "cli: scan sbom:FILE of a missing file" 3 "$DD" scan --scanners secret "sbom:$work/none.json"
grep -qF "sbom:$work/none.json: no such file" "$work/e" && pass "cli: sbom:FILE missing: one line naming it" ||
  fail "cli: sbom: missing: $(head -c 300 "$work/e")"
expect_exit "cli: close command typo" 2 "$DD" scna x
grep -qF "(did you mean 'scan'?)" "$work/e" && pass "cli: command did-you-mean" || fail "cli: scna: $(cat "$work/e")"
expect_exit "cli: --list-all-pkgs with table refused" 2 "$DD" scan --list-all-pkgs x.tar
expect_exit "cli: -- ends options" 3 "$DD" inspect -- --not-an-option
grep -qF -- '--not-an-option' "$work/e" && pass "cli: after --, '--not-an-option' is the IMAGE" || fail "cli: --: $(cat "$work/e")"
expect_exit "cli: bad format via -f" 2 "$DD" inspect -f xml x
expect_exit "cli: env DRYDOCK_FORMAT bad" 2 env DRYDOCK_FORMAT=xml "$DD" inspect x
grep -qF "DRYDOCK_FORMAT must be one of table,json" "$work/e" && pass "cli: env error names the variable" || fail "cli: env err: $(cat "$work/e")"
mkdir -p "$work/cfgbad" && printf 'severty: HIGH\n' > "$work/cfgbad/drydock.yaml"
(cd "$work/cfgbad" && "$DD" scan x.tar > "$work/o" 2> "$work/e"); rc=$?
[ $rc = 2 ] && grep -qF "drydock.yaml: line 1: unknown option 'severty' (did you mean 'severity'?)" "$work/e" \
  && pass "cli: mistyped key in drydock.yaml: exit 2, file, line, suggestion" || fail "cli: bad config key: rc=$rc $(cat "$work/e")"
printf 'format: [json\n' > "$work/cfgbad/broken.yaml"
expect_exit "cli: broken --config" 2 "$DD" inspect --config "$work/cfgbad/broken.yaml" x
grep -q 'broken.yaml: line' "$work/e" && one_line "cli: broken YAML" || fail "cli: broken yaml: $(cat "$work/e")"
printf 'format: json\nformat: table\n' > "$work/cfgbad/dup.yaml"
expect_exit "cli: duplicate key in --config" 2 "$DD" inspect --config "$work/cfgbad/dup.yaml" x
grep -q 'duplicate key' "$work/e" && pass "cli: duplicate config key refused" || fail "cli: dup: $(cat "$work/e")"
expect_exit "cli: --config that does not exist" 2 "$DD" inspect --config "$work/none.yaml" x
expect_exit "cli: db unknown subcommand" 2 "$DD" db frob
expect_exit "cli: vercmp through its table" 0 "$DD" vercmp dpkg 1.0 1.0

# dockerfile: directories, empty files, files that are not Dockerfiles
mkdir -p "$work/df/sub" "$work/df/.git"
printf 'FROM alpine:3.20\nRUN apk add curl\n' > "$work/df/Dockerfile"
printf '# syntax=docker/dockerfile:1\nARG V=1\nFROM debian:12\nUSER 1000\n' > "$work/df/sub/api.Dockerfile"
printf 'FROM busybox\n' > "$work/df/Dockerfile.dev"
printf 'FROM scratch\n' > "$work/df/.git/Dockerfile"
printf 'not docker\n' > "$work/df/README"
expect_exit "cli: dockerfile DIR" 0 "$DD" dockerfile --fail-on none -f json "$work/df"
got=$(jq -r '[.dockerfiles[].dockerfile | sub(".*/df/"; "")] | join(" ")' "$work/o")
[ "$got" = "Dockerfile Dockerfile.dev sub/api.Dockerfile" ] && pass "cli: dockerfile DIR checks Dockerfile, Dockerfile.*, *.Dockerfile (not .git)" || fail "cli: dockerfile DIR found [$got]"
expect_exit "cli: config DIR (Trivy's spelling)" 0 "$DD" config --fail-on none "$work/df"
[ "$(grep -c '/df/' "$work/o")" = 3 ] && pass "cli: config DIR prints three files" || fail "cli: config DIR: $(head -5 "$work/o")"
: > "$work/empty"
expect_exit "cli: dockerfile on an empty file" 3 "$DD" dockerfile "$work/empty"
grep -q 'empty' "$work/e" && one_line "cli: empty Dockerfile" || fail "cli: empty: $(cat "$work/e")"
printf '{"a": 1}\n' > "$work/x.json"
expect_exit "cli: dockerfile on JSON" 3 "$DD" dockerfile "$work/x.json"
grep -q 'not a Dockerfile' "$work/e" && one_line "cli: not a Dockerfile" || fail "cli: json: $(cat "$work/e")"
mkdir -p "$work/nodf"
expect_exit "cli: dockerfile on a dir without Dockerfiles" 3 "$DD" dockerfile "$work/nodf"
printf 'FROM alpine\nRUN curl http://x.sh | sh\n' > "$work/bad.Dockerfile"
"$DD" dockerfile "$work/bad.Dockerfile" > /dev/null 2>&1; rc1=$?
"$DD" dockerfile --fail-on none "$work/bad.Dockerfile" > /dev/null 2>&1; rc2=$?
DRYDOCK_FAIL_ON=none "$DD" dockerfile "$work/bad.Dockerfile" > /dev/null 2>&1; rc3=$?
DRYDOCK_FAIL_ON=none "$DD" dockerfile --fail-on high "$work/bad.Dockerfile" > /dev/null 2>&1; rc4=$?
[ "$rc1$rc2$rc3$rc4" = 1001 ] && pass "cli: dockerfile exit 1 at --fail-on; env DRYDOCK_FAIL_ON; the flag wins over env" || fail "cli: dockerfile rcs $rc1$rc2$rc3$rc4, want 1001"
mkdir -p "$work/prec" && printf 'fail-on: none\n' > "$work/prec/drydock.yaml"
(cd "$work/prec" && "$DD" dockerfile "$work/bad.Dockerfile" > /dev/null 2>&1); rc1=$?
(cd "$work/prec" && DRYDOCK_FAIL_ON=high "$DD" dockerfile "$work/bad.Dockerfile" > /dev/null 2>&1); rc2=$?
printf 'fail-on: none\ndockerfile:\n  fail-on: high\n' > "$work/prec/sect.yaml"
"$DD" dockerfile --config "$work/prec/sect.yaml" "$work/bad.Dockerfile" > /dev/null 2>&1; rc3=$?
DRYDOCK_CONFIG=$work/prec/drydock.yaml "$DD" dockerfile "$work/bad.Dockerfile" > /dev/null 2>&1; rc4=$?
[ "$rc1$rc2$rc3$rc4" = 0110 ] && pass "cli: precedence env > drydock.yaml > default; command section over top level; DRYDOCK_CONFIG" || fail "cli: precedence rcs $rc1$rc2$rc3$rc4, want 0110"

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

# ------------------------------------- Trivy spellings on real images (issue 14)
R=$IMAGES/risky/oci
if [ ! -d "$R" ]; then skip "cli: risky image not built"; exit 0; fi
sc=(--scanners secret,misconfig)
"$DD" scan -q --format json "${sc[@]}" "$R" > "$work/base.json" 2>/dev/null
base=$(jq -c '[.findings[].id] | sort' "$work/base.json")
[ "$(jq -r '.scanners | join(",")' "$work/base.json")" = "secret,config" ] && pass "cli: --scanners misconfig is config" || fail "cli: misconfig: $(jq -c .scanners "$work/base.json")"
jq -e '.warnings | map(select(test("not checked.*vuln"))) | length == 1' "$work/base.json" > /dev/null \
  && pass "cli: JSON warnings say vuln (and malware) were not checked" || fail "cli: warnings: $(jq -c .warnings "$work/base.json")"
for form in "-f json" "--format=json" "-qf json" "-fjson" "--format json --no-progress" ; do
  # shellcheck disable=SC2086
  got=$("$DD" scan -q $form "${sc[@]}" "$R" 2>/dev/null | jq -c '[.findings[].id] | sort')
  [ -n "$got" ] && [ "$got" = "$base" ] && pass "cli: scan $form" || fail "cli: scan $form differs"
done
got=$("$DD" image -q -f json "${sc[@]}" --input "$R" 2>/dev/null | jq -c '[.findings[].id] | sort')
[ "$got" = "$base" ] && pass "cli: drydock image --input IMAGE (Trivy)" || fail "cli: image --input"
"$DD" scan -q -f json "${sc[@]}" -o "$work/out.json" "$R" > "$work/o"
[ ! -s "$work/o" ] && [ "$(jq -c '[.findings[].id] | sort' "$work/out.json")" = "$base" ] && pass "cli: -o FILE" || fail "cli: -o"
n=$("$DD" scan -q -f json "${sc[@]}" -s CRITICAL "$R" | jq '[.findings[] | select(.severity != "CRITICAL")] | length')
m=$("$DD" scan -q -f json "${sc[@]}" --severity=CRITICAL "$R" | jq '.findings | length')
[ "$n" = 0 ] && [ "$m" -gt 0 ] && pass "cli: -s / --severity=CRITICAL" || fail "cli: severity n=$n m=$m"
k=$(DRYDOCK_SEVERITY=CRITICAL "$DD" scan -q -f json "${sc[@]}" "$R" | jq '.findings | length')
[ "$k" = "$m" ] && pass "cli: DRYDOCK_SEVERITY=CRITICAL" || fail "cli: env severity $k vs $m"
# exit codes: --exit-code, --fail-on; INFO never fails
expect_exit "cli: scan with CRITICAL findings (default --fail-on high)" 1 "$DD" scan -q "${sc[@]}" "$R"
expect_exit "cli: scan --fail-on none" 0 "$DD" scan -q --fail-on none "${sc[@]}" "$R"
expect_exit "cli: scan --exit-code 9" 9 "$DD" scan -q --exit-code 9 "${sc[@]}" "$R"
expect_exit "cli: scan --exit-code 0" 0 "$DD" scan -q --exit-code 0 "${sc[@]}" "$R"
expect_exit "cli: scan -s LOW --exit-code 5 (findings remain)" 5 "$DD" scan -q -s LOW --exit-code 5 "${sc[@]}" "$R"
expect_exit "cli: scan -s INFO --exit-code 5 (INFO never fails)" 0 "$DD" scan -q -s INFO --exit-code 5 "${sc[@]}" "$R"
expect_exit "cli: scan --exit-code 5 --fail-on critical" 5 "$DD" scan -q --exit-code 5 --fail-on critical "${sc[@]}" "$R"
expect_exit "cli: scan -s LOW --exit-code 5 --fail-on critical" 0 "$DD" scan -q -s LOW --exit-code 5 --fail-on critical "${sc[@]}" "$R"
expect_exit "cli: env DRYDOCK_EXIT_CODE=6" 6 env DRYDOCK_EXIT_CODE=6 "$DD" scan -q "${sc[@]}" "$R"
expect_exit "cli: flag --exit-code 7 over env" 7 env DRYDOCK_EXIT_CODE=6 "$DD" scan -q --exit-code 7 "${sc[@]}" "$R"
for c in sbom inspect ls history; do
  expect_exit "cli: $c on an image with findings exits 0" 0 "$DD" $c -q "$R"
  expect_exit "cli: $c on a missing image exits 3" 3 "$DD" $c -q "$work/none.tar"
done
expect_exit "cli: scan --timeout 1h" 1 "$DD" scan -q --timeout 1h "${sc[@]}" "$R"
expect_exit "cli: scan --timeout=1m30s" 1 "$DD" scan -q --timeout=1m30s "${sc[@]}" "$R"
"$DD" scan -q -f json --list-all-pkgs "${sc[@]}" "$R" > "$work/pk.json"
np=$("$DD" sbom -q -f json "$R" | jq '.packages | length')
[ "$(jq '.packages | length' "$work/pk.json")" = "$np" ] && [ "$np" -gt 0 ] && pass "cli: --list-all-pkgs adds the $np packages to JSON" || fail "cli: list-all-pkgs: $(jq '.packages | length' "$work/pk.json") vs $np"
# .trivyignore / .drydockignore in the working directory
first=$(jq -r '.findings[0].id' "$work/base.json")
mkdir -p "$work/ign1" "$work/ign2" "$work/ign3"
echo "$first" > "$work/ign1/.trivyignore"
(cd "$work/ign1" && "$DD" scan -q -f json "${sc[@]}" "$R") > "$work/i1.json" 2>/dev/null
[ "$(jq --arg i "$first" '[.findings[] | select(.id == $i)] | length' "$work/i1.json")" = 0 ] &&
  [ "$(jq --arg i "$first" '[.ignored[] | select(.id == $i)] | length > 0' "$work/i1.json")" = true ] &&
  pass "cli: .trivyignore in the working directory is read ($first)" || fail "cli: .trivyignore not applied"
echo "$first" > "$work/ign2/.drydockignore"
(cd "$work/ign2" && "$DD" scan -q -f json "${sc[@]}" "$R") > "$work/i2.json" 2>/dev/null
[ "$(jq --arg i "$first" '[.findings[] | select(.id == $i)] | length' "$work/i2.json")" = 0 ] && pass "cli: .drydockignore in the working directory is read" || fail "cli: .drydockignore not applied"
second=$(jq -r --arg i "$first" '[.findings[].id | select(. != $i)][0]' "$work/base.json")
echo "$first" > "$work/ign3/.trivyignore"; echo "$second" > "$work/ign3/.drydockignore"; : > "$work/ign3/empty"
(cd "$work/ign3" && "$DD" scan -q -f json "${sc[@]}" "$R") > "$work/i3.json" 2>/dev/null
[ "$(jq --arg a "$first" --arg b "$second" '[.findings[] | select(.id == $a or .id == $b)] | length' "$work/i3.json")" = 0 ] && pass "cli: both ignore files apply" || fail "cli: both ignore files"
(cd "$work/ign3" && "$DD" scan -q -f json "${sc[@]}" --ignorefile empty "$R") > "$work/i4.json" 2>/dev/null
[ "$(jq -c '[.findings[].id] | sort' "$work/i4.json")" = "$base" ] && pass "cli: --ignorefile FILE replaces the working-directory files" || fail "cli: --ignorefile"
# the first run: no database, the download fails fast (closed local port)
rm -rf "$work/xdg"; mkdir -p "$work/xdg"
expect_exit "cli: scan without a database (download fails)" 3 "$DD" scan "$R"
grep -q 'vulnerabilities were NOT checked' "$work/e" && grep -q 'drydock db update' "$work/e" && grep -q -- '--skip-db-update' "$work/e" &&
  grep -q 'scanners without vuln' "$work/e" && grep -q '127.0.0.1:1' "$work/e" && pass "cli: no-DB line says NOT checked, the failed update and what to type" || fail "cli: no-DB: $(cat "$work/e")"
one_line "cli: no-DB message"
[ ! -s "$work/o" ] && pass "cli: no report when vulnerabilities were not checked" || fail "cli: a report was printed without a DB"
expect_exit "cli: scan -s HIGH,CRITICAL --exit-code 1 without a database" 3 "$DD" scan -s HIGH,CRITICAL --exit-code 1 "$R"
expect_exit "cli: --skip-db-update without a database" 3 "$DD" scan --skip-db-update "$R"
grep -q 'not downloaded: --skip-db-update' "$work/e" && one_line "cli: --skip-db-update" || fail "cli: skip-db-update: $(cat "$work/e")"
expect_exit "cli: --offline-scan without a database" 3 "$DD" scan --offline-scan --scanners vuln,secret "$R"
expect_exit "cli: explicit --db that does not exist" 3 "$DD" scan --db "$work/nope.db" "$R"
grep -qF -- "--db $work/nope.db: no such file" "$work/e" && one_line "cli: missing --db" || fail "cli: missing --db: $(cat "$work/e")"
printf 'junk' > "$work/junk.db"
expect_exit "cli: explicit --db that is not a database" 3 "$DD" scan --db "$work/junk.db" "$R"
one_line "cli: junk --db"
expect_exit "cli: --cache-dir without a database" 3 env DRYDOCK_CACHE_DIR="$work/cd" "$DD" scan --skip-db-update "$R"
grep -qF "$work/cd/db/drydock.db" "$work/e" && pass "cli: DRYDOCK_CACHE_DIR sets the database path" || fail "cli: cache-dir: $(cat "$work/e")"
a=$("$DD" sbom -q -f spdx-json "$R" | jq '.packages | length'); b=$("$DD" sbom -q --format spdx "$R" | jq '.packages | length')
[ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" -gt 0 ] && pass "cli: -f spdx-json (Trivy) is spdx" || fail "cli: spdx-json $a vs $b"
