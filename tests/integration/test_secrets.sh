#!/bin/bash
# tests/integration/test_secrets.sh - the secret scanner:
#  - every secret planted in the `risky` image, including the credentials
#    a later layer deleted, the ENV password and the history steps
#  - zero findings on alpine-3.20, bookworm-minbase, node-app, bookworm-big
#  - precision/recall on ../shared/data/secrets/samples with our labels
#  - secrets never printed whole in any output format
#  - --secret-config: custom rule, disabled rule, allow-listed value
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
BDIR=$(dirname "$DD")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

R=$IMAGES/risky/oci
if [ -d "$R" ]; then
  "$DD" scan -q --scanners secret --format json "$R" > "$T/r.json"; rc=$?
  got=$(jq -r '.findings[] | "\(.id)|\(.path // "config")|\(.deleted_in_layer)"' "$T/r.json" | sort | tr '\n' ' ')
  want="aws-access-key-id|config|null aws-access-key-id|config|null aws-access-key-id|root/.aws/credentials|2 aws-secret-access-key|app/config.php|null aws-secret-access-key|config|null aws-secret-access-key|config|null aws-secret-access-key|root/.aws/credentials|2 generic-password|app/.env|null generic-password|app/config.php|null generic-password|config|null generic-password|config|null generic-secret|app/.env|null github-pat|app/.env|null private-key-openssh|root/.ssh/id_rsa|null private-key-rsa|root/.ssh/legacy_rsa.pem|null ssh-authorized-key|root/.ssh/authorized_keys|null stripe-secret-key|app/.env|null "
  if [ $rc = 1 ] && [ "$got" = "$want" ]; then
    pass "risky: all 17 planted secrets (files, deleted credentials, Env, history, authorized_keys)"
  else
    fail "risky: rc=$rc got [$got]"
  fi
  # --skip-dirs / --skip-files (Trivy's names): those paths are read by no
  # analyzer, the Env/history findings stay, and the report says how many
  "$DD" scan -q --scanners secret --format json --skip-dirs /root --skip-files '**/.env' "$R" > "$T/skip.json"
  sk=$(jq -r '[.findings[] | .path // "config"] | unique | join(" ")' "$T/skip.json")
  sw=$(jq -r '.warnings[] | select(test("not analysed"))' "$T/skip.json")
  [ "$sk" = "app/config.php config" ] && echo "$sw" | grep -q '^[0-9]* entries were not analysed: they are under --skip-dirs or match --skip-files$' &&
    pass "risky: --skip-dirs /root --skip-files '**/.env' leaves only app/config.php and the config findings, and says so ($sw)" ||
    fail "risky --skip-*: paths [$sk] warning [$sw]"
  "$DD" scan -q --scanners secret --format json --skip-dirs=root,app "$R" > "$T/skip2.json"
  sk=$(jq -r '[.findings[] | .path // "config"] | unique | join(" ")' "$T/skip2.json")
  [ "$sk" = config ] && pass "risky: --skip-dirs=root,app takes a comma list like Trivy's" || fail "risky --skip-dirs a,b: [$sk]"
  "$DD" scan -q --scanners secret --skip-files 'etc/[ab' "$R" > /dev/null 2> "$T/skip.err"; rc=$?
  [ $rc = 2 ] && [ "$(wc -l < "$T/skip.err")" = 1 ] && grep -q "skip-files 'etc/\[ab': unclosed \[" "$T/skip.err" &&
    pass "--skip-files with a malformed glob: one line, exit 2 ($(cat "$T/skip.err"))" || fail "bad glob: rc=$rc $(cat "$T/skip.err")"
  d=$(jq -r '.findings[] | select(.path=="root/.aws/credentials") | "\(.layer) \(.deleted_in_layer)"' "$T/r.json" | sort -u)
  [ "$d" = "1 2" ] && pass "risky: the whited-out credentials are reported as deleted in layer 2, shipped in layer 1" ||
    fail "risky deleted: '$d'"
  lc=$(jq -r '.findings[] | select(.id=="github-pat") | "\(.line) \(.category) \(.evidence)"' "$T/r.json")
  [ "$lc" = "7 vcs ghp_****stuv (40 chars)" ] && pass "risky: findings carry line, category and a redacted value ($lc)" ||
    fail "risky line/category: '$lc'"
  h=$(jq -r '.findings[] | select(.title | test("history\\[2\\]")) | .id' "$T/r.json")
  [ "$h" = generic-password ] && pass "risky: the ENV password in history step 2 is attributed to that step" ||
    fail "risky history: '$h'"
  # never whole: the planted values must not appear in any format
  "$DD" scan -q --scanners secret "$R" > "$T/r.txt"
  "$DD" scan -q --scanners secret --format sarif "$R" > "$T/r.sarif"
  leak=0
  for v in 'Pr0d-P@ssw0rd-2024!' 'AKIAQ4XW7TZ3K9PLM2VN' 'q9Zt3Lr8Vx2Wm5Kp7Ns1Yb4Hc6Jd0Fg/Ea+TuRiO' \
           'sk_live_51FAKEFAKEFAKEFAKEFAKEFAKE00aa11bb22cc33dd' 'ghp_FAKE0123456789abcdefghijklmnopqrstuv' \
           '6f1c2b9e8d7a4c3b2a1f0e9d8c7b6a5f'; do
    grep -qF -- "$v" "$T/r.json" "$T/r.txt" "$T/r.sarif" && leak=1
  done
  [ $leak = 0 ] && pass "secrets are redacted in table, JSON and SARIF (no planted value appears whole)" ||
    fail "a secret value appears whole in the output"
else
  skip "risky image not built"
fi

for img in alpine-3.20 bookworm-minbase node-app bookworm-big; do
  [ -d "$IMAGES/$img/oci" ] || { skip "secrets $img: image not built"; continue; }
  n=$("$DD" scan -q --scanners secret --format json "$IMAGES/$img/oci" | jq '[.findings[] | select(.kind=="secret")] | length')
  [ "$n" = 0 ] && pass "secrets $img: no findings (no false positives)" || fail "secrets $img: $n findings"
done

S=$ROOT/../shared/data/secrets/samples
if [ -d "$S" ]; then
  "$BDIR/tests/secret_dump" "$S"/*.* | cut -f1-3 > "$T/got.tsv"
  if out=$(python3 - "$ROOT/tests/data/secret-labels.tsv" "$T/got.tsv" <<'PY'
import sys
lab = set()
for l in open(sys.argv[1]):
    if l.startswith("#") or not l.strip():
        continue
    f, n, _ = l.rstrip("\n").split("\t", 2)
    lab.add((f, int(n)))
got = set()
for l in open(sys.argv[2]):
    f, n, r = l.rstrip("\n").split("\t")
    got.add((f, int(n)))
tp = len(got & lab); fp = sorted(got - lab); fn = sorted(lab - got)
p = tp / max(1, tp + len(fp)); r = tp / max(1, tp + len(fn))
print(f"precision {p:.3f} recall {r:.3f} (TP {tp}, FP {len(fp)} {fp}, FN {len(fn)} {fn})")
sys.exit(0 if p >= 0.95 and r >= 0.9 else 1)
PY
); then
    pass "samples: $out"
  else
    fail "samples: $out"
  fi
else
  skip "secret samples: $S is absent"
fi

# --secret-config: a custom rule, a disabled rule, an allow-listed value
mkdir -p "$T/root/app"
printf 'token = ACME-0123456789abcdef0123\nGITHUB=ghp_%s\nSTRIPE=sk_live_%s\n' \
  "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8" "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0" > "$T/root/app/settings.txt"
tar --sort=name --owner=0 --group=0 --mtime=@0 -C "$T/root" -cf "$T/l.tar" .
echo "{\"out\": \"$T/img\", \"name\": \"cfg\", \"tag\": \"1\", \"layers\": [{\"tar\": \"$T/l.tar\", \"created_by\": \"x\"}]}" > "$T/spec.json"
python3 "$ROOT/demo/mkimage.py" "$T/spec.json" > /dev/null
cat > "$T/cfg.json" <<'J'
{"rules": [{"id": "acme-token", "category": "custom", "severity": "HIGH", "title": "ACME token",
            "keywords": ["acme-"], "regex": "(ACME-[0-9a-f]{20})", "secret_group": 1}],
 "disable": ["github-pat"],
 "allow": {"values": ["^sk_live_Zz9"]}}
J
ids=$("$DD" scan -q --scanners secret --secret-config "$T/cfg.json" --format json "$T/img/oci" | jq -r '[.findings[].id] | sort | join(" ")')
base=$("$DD" scan -q --scanners secret --format json "$T/img/oci" | jq -r '[.findings[].id] | sort | join(" ")')
[ "$ids" = "acme-token" ] && [ "$base" = "github-pat stripe-secret-key" ] &&
  pass "--secret-config: custom rule found, disabled rule and allow-listed value silent" ||
  fail "--secret-config: got [$ids], without config [$base]"
echo '{"rules": [{"id": "x", "keywords": ["x"], "regex": "(unclosed"}]}' > "$T/bad.json"
"$DD" scan -q --scanners secret --secret-config "$T/bad.json" "$T/img/oci" > /dev/null 2> "$T/bad.err"; rc=$?
[ $rc = 3 ] && grep -q 'rule x: regex' "$T/bad.err" && pass "--secret-config with a bad regex: one line naming the rule, exit 3" ||
  fail "bad secret config: rc=$rc $(cat "$T/bad.err")"
