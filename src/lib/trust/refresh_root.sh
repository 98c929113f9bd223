#!/bin/sh
# refresh_root.sh [NPM_DIR] - rewrite src/lib/trust/trusted_root.json from
# the TUF seeds that the npm package @sigstore/tuf ships (seeds.json holds
# the TUF root and the trusted_root.json target, base64-encoded).
# NPM_DIR defaults to ~/.cache/drydock-trust-npm; the package is installed
# there with `npm install --no-audit --no-fund @sigstore/tuf` when missing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$HOME/.cache/drydock-trust-npm}
mkdir -p "$dir"
if [ ! -f "$dir/node_modules/@sigstore/tuf/seeds.json" ]; then
    (cd "$dir" && npm install --no-audit --no-fund @sigstore/tuf >/dev/null)
fi
python3 - "$dir/node_modules/@sigstore/tuf/seeds.json" "$here/trusted_root.json" <<'PY'
import base64, json, sys
seeds = json.load(open(sys.argv[1]))
for repo in seeds.values():
    t = repo["targets"].get("trusted_root.json")
    if t:
        root = json.loads(base64.b64decode(t))
        with open(sys.argv[2], "w") as f:
            json.dump(root, f, indent=2)
            f.write("\n")
        sys.exit(0)
sys.exit("no trusted_root.json target in the seeds")
PY
echo "wrote $here/trusted_root.json"
