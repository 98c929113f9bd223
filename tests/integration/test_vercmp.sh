#!/bin/bash
# tests/integration/test_vercmp.sh - every version comparator against the
# upstream suites in ../shared/data/versions, through `drydock vercmp`.
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DRYDOCK_ASAN:-$DRYDOCK}
VD=$ROOT/../shared/data/versions
if [ -d "$VD" ]; then
  python3 "$HERE/vercmp_suites.py" "$DD" "$VD" "$ROOT/tests/data/maven-versions.txt" || true
else
  skip "version suites: $VD is absent"
fi
# the two-argument form and its exit codes
out=$("$DD" vercmp dpkg 1:1.0-1 2.0-1); rc=$?
[ "$out" = 1 ] && [ $rc = 0 ] && pass "vercmp dpkg A B prints 1 (epoch wins)" || fail "vercmp dpkg A B: '$out' rc=$rc"
out=$("$DD" vercmp pep440 1.0 not-a-version); rc=$?
[ "$out" = invalid ] && [ $rc = 1 ] && pass "vercmp: an invalid version prints 'invalid', exit 1" || fail "vercmp invalid: '$out' rc=$rc"
"$DD" vercmp nosuch 1 2 2>/dev/null; rc=$?
[ $rc = 2 ] && pass "vercmp: unknown TYPE is a usage error" || fail "vercmp unknown type rc=$rc"
