#!/usr/bin/env bash
# tests/run-all.sh BUILD ASAN_BUILD - everything `make check` runs:
#   unit tests and fuzz-corpus replays under ASan+UBSan, format and
#   banned-function checks, the real test images (built with
#   ../shared/tools/images/make-images.sh small when ../shared exists) and
#   the integration tests. Prints PASS/FAIL/SKIP lines; the last line is
#   "N passed, N failed".
set -u
BUILD=${1:-build}
ASAN=${2:-build-asan}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

run() { # label cmd... : runs, echoes output, records a FAIL if it crashed without one
  local label=$1; shift
  local out rc
  out=$("$@" 2>&1); rc=$?
  echo "$out" | grep -E '^(PASS|FAIL|SKIP) ' | tee -a "$LOG"
  if [ $rc != 0 ] && ! echo "$out" | grep -q '^FAIL '; then
    echo "FAIL $label: exit $rc: $(echo "$out" | grep -v -E '^(PASS|SKIP) ' | tail -5 | tr '\n' ' ')" | tee -a "$LOG"
  fi
}

echo "== unit tests (ASan+UBSan)"
for t in "$ASAN"/tests/test_*; do
  [ -f "$t" ] && [ -x "$t" ] && run "$(basename "$t")" "$t"
done
echo "== concurrency (ThreadSanitizer)"
TSAN=${TSAN_BUILD:-}
if [ -n "$TSAN" ] && [ -x "$TSAN/tests/test_engine" ]; then
  export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
  run "tsan test_engine" bash -o pipefail -c \
    "'$TSAN/tests/test_engine' 2>&1 | sed -E 's/^(PASS|FAIL|SKIP) /\\1 tsan: /'"
  if [ -x "$TSAN/tests/test_service" ]; then
    run "tsan test_service" bash -o pipefail -c \
      "'$TSAN/tests/test_service' 2>&1 | sed -E 's/^(PASS|FAIL|SKIP) /\\1 tsan: /'"
  fi
else
  echo "SKIP tsan: no ThreadSanitizer build (make build-tsan)"
fi
echo "== fuzz corpus replay (ASan+UBSan)"
for t in "$ASAN"/tests/fuzz_*_replay; do
  name=$(basename "$t" _replay)
  run "$name" "$t" "tests/fuzz/corpus/$name"
done

echo "== source checks"
if clang-format --dry-run -Werror $(git ls-files '*.c' '*.h' 2>/dev/null || find src include tests -name '*.[ch]') >/dev/null 2>&1; then
  echo "PASS format: clang-format clean" | tee -a "$LOG"
else
  echo "FAIL format: run 'make format'" | tee -a "$LOG"
fi
banned=$(grep -n -E '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok|strncpy|sscanf)\s*\(' -r src | grep -v -E '\b(snprintf|vsnprintf)\b' || true)
raw=$(grep -n -E '\b(malloc|calloc|realloc|free)\s*\(' -r src/lib src/util | grep -v -E 'src/util/alloc.c|dd__|json|free\(t\)|ZSTD_free|EVP_MD_CTX_free' || true)
if [ -z "$banned$raw" ]; then
  echo "PASS checksrc: no banned functions, no raw allocation outside util/alloc.c" | tee -a "$LOG"
else
  echo "FAIL checksrc: $banned $raw" | tee -a "$LOG"
fi

echo "== test images"
MK=$ROOT/../shared/tools/images/make-images.sh
if [ -x "$MK" ] || [ -f "$MK" ]; then
  if [ "$(id -u)" = 0 ]; then
    if bash "$MK" small > "$ROOT/$BUILD/make-images.log" 2>&1; then
      echo "PASS test images built (make-images.sh small)" | tee -a "$LOG"
    else
      echo "FAIL test images: make-images.sh small failed, see $BUILD/make-images.log: $(tail -2 "$ROOT/$BUILD/make-images.log" | tr '\n' ' ')" | tee -a "$LOG"
    fi
  else
    echo "SKIP test images: building them needs root (debootstrap)"
  fi
else
  echo "SKIP test images: ../shared/tools/images/make-images.sh is absent"
fi

echo "== integration tests"
export DRYDOCK=$ROOT/$BUILD/drydock DRYDOCK_ASAN=$ROOT/$ASAN/drydock
for t in tests/integration/test_*.sh; do
  run "$(basename "$t")" bash "$t"
done

p=$(grep -c '^PASS ' "$LOG")
f=$(grep -c '^FAIL ' "$LOG")
echo
echo "$p passed, $f failed"
[ "$f" = 0 ]
