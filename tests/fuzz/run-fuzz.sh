#!/usr/bin/env bash
# tests/fuzz/run-fuzz.sh [SECONDS [TARGET...]] - build every tests/fuzz/fuzz_*.c (or
# only the named targets) with
# clang -fsanitize=fuzzer,address,undefined and run each for SECONDS
# (default 60) on a copy of its seed corpus; new inputs that raise
# coverage are kept in tests/fuzz/out/<target>/ (merge worthwhile ones
# into corpus/ by hand). A crash leaves its input in tests/fuzz/out/.
set -euo pipefail
SECS=${1:-60}
shift || true
ONLY=" $* "
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/tests/fuzz/out
mkdir -p "$OUT"
PKG="libisal libzstd libcrypto libssl jansson sqlite3 libzip zlib yaml-0.1 libpcre2-8 yara libcurl"
CFLAGS="-g -O1 -std=c11 -D_GNU_SOURCE -DDD_UNITTEST -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I$ROOT/include -I$ROOT/src $(pkg-config --cflags $PKG)"
LIBS="$(pkg-config --libs $PKG) -lpthread -lm"
python3 "$ROOT/src/lib/malware/rules/embed.py" "$ROOT/src/lib/malware/rules/builtin.yar" \
  "$OUT/builtin_rules.c" dd__yara_builtin_rules
python3 "$ROOT/src/lib/malware/rules/embed.py" "$ROOT/src/lib/trust/trusted_root.json" \
  "$OUT/builtin_trusted_root.c" dd__trust_builtin_root
LIBSRC="$(ls "$ROOT"/src/util/*.c "$ROOT"/src/lib/*.c "$ROOT"/src/lib/*/*.c) $OUT/builtin_rules.c $OUT/builtin_trusted_root.c"
status=0
for f in "$ROOT"/tests/fuzz/fuzz_*.c; do
  t=$(basename "$f" .c)
  if [ "$ONLY" != "  " ] && [[ "$ONLY" != *" $t "* ]]; then continue; fi
  echo "== $t: building"
  clang $CFLAGS -o "$OUT/$t" "$f" $LIBSRC $LIBS
  mkdir -p "$OUT/$t.corpus"
  cp -n "$ROOT/tests/fuzz/corpus/$t"/* "$OUT/$t.corpus/" 2>/dev/null || true
  dict=()
  [ -f "$ROOT/tests/fuzz/$t.dict" ] && dict=(-dict="$ROOT/tests/fuzz/$t.dict")
  echo "== $t: fuzzing for ${SECS}s"
  if ! (cd "$OUT" && "./$t" "${dict[@]}" -max_total_time="$SECS" -max_len=65536 \
        -rss_limit_mb=2048 -artifact_prefix="$OUT/$t-" "$OUT/$t.corpus" 2>&1 | tail -3); then
    echo "== $t: FOUND A CRASH (input in $OUT/$t-*)"; status=1
  fi
done
exit $status
