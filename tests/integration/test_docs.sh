#!/usr/bin/env bash
# tests/integration/test_docs.sh - what is generated from the option
# tables cannot drift from the program: every command has a man page
# (docs/meson.build lists them all, groff reads them without a warning),
# every option of every command's --help is in its man page and in the
# bash, zsh and fish completions, the bash completion completes for real,
# `meson install` puts pages and completions where man and the shells
# look, and `drydock version` names the rule packs and the database age.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
DD=${DRYDOCK:-build/drydock}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# ------------------------------------------------------------ man pages
listed=$(sed -n "/^foreach p : \[/,/\]/p" docs/meson.build | grep -o "'[a-z-]*'" | tr -d "'" | sort | tr '\n' ' ')
# every command table, from the SEE ALSO of drydock.1
cmds=$("$DD" man | sed -n '/^\.SH SEE ALSO/,$p' | sed 's/\\fR([0-9])//g; s/\\fB//g; s/\\-/-/g' |
  grep -o 'drydock-[a-z-]*' | sed 's/^drydock-//' | sort | tr '\n' ' ')
[ -n "$cmds" ] && [ "$listed" = "$cmds" ] &&
  pass "docs: docs/meson.build installs a man page for each of the $(echo $cmds | wc -w) commands" ||
  fail "docs: man pages listed [$listed] vs commands [$cmds]"
bad=0
warned=""
for p in drydock $cmds; do
  "$DD" man "$p" > "$T/$p.1" 2> "$T/err" || { bad=1; warned="$warned $p(rc)"; continue; }
  w=$(groff -man -Tutf8 -ww -z "$T/$p.1" 2>&1)
  [ -z "$w" ] || { bad=1; warned="$warned $p: $(echo "$w" | head -1)"; }
done
[ $bad = 0 ] && pass "docs: groff -ww reads all $(echo drydock $cmds | wc -w) man pages without a warning" ||
  fail "docs: man page problems:$warned"

"$DD" completion bash > "$T/bash" && "$DD" completion zsh > "$T/zsh" && "$DD" completion fish > "$T/fish" ||
  fail "docs: drydock completion failed"
# every option of every command's --help, in its man page and completions
missing=""
nopt=0
for c in $cmds; do
  words=$(echo "$c" | tr '-' ' ')
  case $c in verify-blob) words=verify-blob ;; esac
  opts=$("$DD" $words --help 2>/dev/null | grep -E '^  (-[a-zA-Z], |    )--' | grep -oE '^ *(-[a-zA-Z], )?--[a-z][a-z0-9-]*' |
    grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
  for o in $opts; do
    nopt=$((nopt + 1))
    grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$T/$c.1" || missing="$missing $c:$o(man)"
    case $c in registry-audit | man | completion) continue ;; esac
    grep -q -- " $o\\b\\|'$o\\b\\|$o|" "$T/bash" || missing="$missing $c:$o(bash)"
    grep -q -- "-l ${o#--}\\b" "$T/fish" || missing="$missing $c:$o(fish)"
    grep -q -- "'$o\\b\\|'\\*$o\\b" "$T/zsh" || missing="$missing $c:$o(zsh)"
  done
done
[ -z "$missing" ] && [ $nopt -gt 100 ] &&
  pass "docs: all $nopt options of the commands' --help are in their man pages and the bash/zsh/fish completions" ||
  fail "docs: options missing:$(echo "$missing" | head -c 600)"

# ------------------------------------------------------ completion, for real
comp() { # words... -> the completions bash offers for the last word
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _drydock; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$T/bash" "$@" 2>&1 | sort | tr '\n' ' '
}
got=$(comp drydock sc)
[ "$got" = "scan " ] && pass "completion bash: 'drydock sc' -> scan" || fail "completion bash: 'drydock sc' -> '$got'"
got=$(comp drydock scan --sev)
[ "$got" = "--severity " ] && pass "completion bash: 'drydock scan --sev' -> --severity" ||
  fail "completion bash: 'drydock scan --sev' -> '$got'"
got=$(comp drydock scan -f "")
case $got in *json*sarif*table*) pass "completion bash: 'drydock scan -f' offers the formats ($got)" ;;
  *) fail "completion bash: 'drydock scan -f' -> '$got'" ;; esac
got=$(comp drydock scan --severity HI)
[ "$got" = "HIGH " ] && pass "completion bash: '--severity HI' -> HIGH" || fail "completion bash: '--severity HI' -> '$got'"
got=$(comp drydock completion "")
[ "$got" = "bash fish zsh " ] && pass "completion bash: 'drydock completion' offers bash fish zsh" ||
  fail "completion bash: 'drydock completion' -> '$got'"
if command -v zsh > /dev/null; then
  zsh -n "$T/zsh" 2> "$T/zerr" && pass "completion zsh: zsh -n accepts the script" || fail "completion zsh: $(head -2 "$T/zerr")"
else
  skip "completion zsh: zsh is not installed"
fi
if command -v fish > /dev/null; then
  fish -n "$T/fish" 2> "$T/ferr" &&
    got=$(HOME=$T fish -c "source $T/fish; complete -C 'drydock scan --sev'" 2>&1 | cut -f1 | tr '\n' ' ') &&
    [ "$got" = "--severity " ] && pass "completion fish: the script loads and 'drydock scan --sev' -> --severity" ||
    fail "completion fish: '$got' $(head -2 "$T/ferr")"
else
  skip "completion fish: fish is not installed"
fi
"$DD" completion tcsh > /dev/null 2> "$T/err"; rc=$?
[ $rc = 2 ] && grep -q "unknown shell 'tcsh'" "$T/err" && pass "completion: an unknown shell is one line, exit 2 ($(cat "$T/err"))" ||
  fail "completion tcsh: rc=$rc $(cat "$T/err")"
"$DD" man nosuch > /dev/null 2> "$T/err"; rc=$?
[ $rc = 2 ] && pass "man: an unknown command is one line, exit 2 ($(cat "$T/err"))" || fail "man nosuch: rc=$rc"

# ---------------------------------------------------------------- install
if command -v meson > /dev/null && [ -f build/build.ninja ] && [ "$DD" = "$(pwd)/build/drydock" -o "$DD" = build/drydock ]; then
  if meson install -C build --destdir "$T/inst" > "$T/inst.log" 2>&1; then
    pre=$(meson introspect build --buildoptions | jq -r '.[] | select(.name=="prefix") | .value')
    r=$T/inst$pre
    n=$(ls "$r"/share/man/man1/drydock*.1 2>/dev/null | wc -l)
    [ "$n" = "$(echo drydock $cmds | wc -w)" ] && [ -s "$r/share/bash-completion/completions/drydock" ] &&
      [ -s "$r/share/zsh/vendor-completions/_drydock" ] && [ -s "$r/share/fish/vendor_completions.d/drydock.fish" ] &&
      MANPATH=$r/share/man man -w drydock-scan > /dev/null 2>&1 &&
      pass "install: meson install puts $n man pages (man -w finds drydock-scan) and the three completions in place" ||
      fail "install: $n pages; $(ls -R "$r/share" | head -20 | tr '\n' ' ')"
  else
    fail "install: meson install failed: $(tail -3 "$T/inst.log")"
  fi
else
  skip "install: not the meson build tree"
fi

# ---------------------------------------------------------------- version
"$DD" version --format json --db "$T/none.db" > "$T/v.json"; rc=$?
ok=$(jq -r '[.version == "'"$("$DD" version | head -1 | cut -d' ' -f2)"'",
  (.rule_packs | length) == 4,
  ([.rule_packs[] | .id | test("^[0-9a-f]{12}$")] | all),
  ([.rule_packs[] | (.rules // .checks // .names) > 0] | all),
  .db.state == "absent"] | all' "$T/v.json" 2>/dev/null)
[ $rc = 0 ] && [ "$ok" = true ] &&
  pass "version --format json: 4 rule packs with counts and 12-hex ids, db absent ($(jq -c '[.rule_packs[] | "\(.name)=\(.id)"]' "$T/v.json"))" ||
  fail "version json: rc=$rc $(head -c 400 "$T/v.json")"
# the secrets pack's count is the number of built-in rules scan can report
n=$(jq '.rule_packs[] | select(.name=="secrets") | .rules' "$T/v.json")
SECDB=../shared/data/feeds/alpine-secdb-2020
if [ -d "$SECDB" ]; then
  "$DD" db import --db "$T/db" "$SECDB" > /dev/null 2>&1
  out=$("$DD" version --db "$T/db")
  echo "$out" | grep -q "updated $(date -u +%Y-%m-%d)T.* (0 days ago)" &&
    pass "version: a database imported now shows its path and age ($(echo "$out" | tail -1 | sed 's/^ *//'))" ||
    fail "version with a db: $out"
else
  skip "version with a db: $SECDB is absent"
fi
[ "$("$DD" --version | head -1)" = "$("$DD" version | head -1)" ] && pass "--version = drydock version" || fail "--version differs"
