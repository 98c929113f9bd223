# tests/integration/lib.sh - helpers for integration scripts: PASS/FAIL/SKIP
# lines that tests/run-all.sh counts.
IMAGES=${DRYDOCK_TEST_IMAGES:-${XDG_CACHE_HOME:-$HOME/.cache}/drydock-test-images/out}
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }
skip() { echo "SKIP $*"; }
# forms of an image: "label path" lines
image_forms() {
  local d=$IMAGES/$1
  [ -f "$d/$1-docker.tar" ] && echo "docker $d/$1-docker.tar"
  [ -f "$d/$1-docker25.tar" ] && echo "docker25 $d/$1-docker25.tar"
  [ -d "$d/oci" ] && echo "oci $d/oci"
  [ -f "$d/$1-oci.tar" ] && echo "ocitar $d/$1-oci.tar"
}
