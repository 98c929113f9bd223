#!/usr/bin/env python3
"""tests/integration/readme.py check|update DRYDOCK IMAGES SHARED

The README's example outputs are the program's real output. Each example
is a fenced block preceded by a marker line

    <!-- example: PIPELINE -->

PIPELINE runs under bash in a scratch directory where `drydock` is the
binary under test, the test images have the short names the README uses
(risky.tar, risky/oci, bookworm-stale-dpkg.tar, alpine-3.20.tar), a
Dockerfile fixture is written and ../shared is the real-data tree; the
cache (and so the default database) is the scratch directory's own.
Examples run in README order in one such directory (an example that
imports the database serves the ones after it). `excerpt` (below) cuts
long outputs with "…" lines.

In the block, the leading lines starting with "$ " show the commands;
every line after them is output (a PIPELINE that runs a second command
prints its "$ " line itself). `check` compares the output part with what PIPELINE prints
(timestamps, the scratch path and the database age normalised) and prints
one PASS or FAIL line per example; `update` rewrites the README.
"""
import os
import re
import subprocess
import sys
import tempfile

MARK = re.compile(r"^<!-- example: (.*) -->$")

EXCERPT = r'''
# excerpt SPEC... < output: keep the parts SPEC names, "…" between them
# and after the last when output was left out. SPEC is N (the first N
# lines) or /RE/K (K lines from the first line matching RE, from where
# the previous part ended).
excerpt() {
  awk -v specs="$*" '
    { line[NR] = $0 }
    END {
      n = split(specs, sp, " "); pos = 1; last = 0
      for (i = 1; i <= n; i++) {
        s = sp[i]; from = pos; cnt = 0
        if (s ~ /^[0-9]+$/) { from = 1; cnt = s + 0 }
        else {
          k = match(s, /\/[0-9]+$/); re = substr(s, 2, k - 2); cnt = substr(s, k + 1) + 0
          for (from = pos; from <= NR && line[from] !~ re; from++) {}
        }
        if (from > NR) continue
        if (last && from > last + 1) print "  …"
        for (j = from; j < from + cnt && j <= NR; j++) print line[j]
        last = j - 1; pos = j
      }
      if (last < NR) print "  …"
    }'
}
'''

DOCKERFILE = """FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl \\
    telnetd && rm -rf /var/lib/apt/lists/*
USER app
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
"""

VOLATILE = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"), "<TIME>"),
    (re.compile(r"\(\d+ days? ago\)"), "(N days ago)"),
    (re.compile(r" rules, cached\)"), " rules)"),
]


def norm(text, scratch):
    text = text.replace(scratch, "<SCRATCH>")
    for r, s in VOLATILE:
        text = r.sub(s, text)
    return "\n".join(x.rstrip() for x in text.split("\n"))


def setup(d, dd, images, shared):
    os.makedirs(f"{d}/bin")
    os.makedirs(f"{d}/w/risky")
    os.makedirs(f"{d}/cache")
    os.symlink(dd, f"{d}/bin/drydock")
    os.symlink(shared, f"{d}/shared")
    links = {
        "risky.tar": "risky/risky-docker.tar",
        "risky/oci": "risky/oci",
        "bookworm-stale-dpkg.tar":
        "bookworm-stale-dpkg/bookworm-stale-dpkg-docker.tar",
        "alpine-3.20.tar": "alpine-3.20/alpine-3.20-docker.tar",
    }
    for name, target in links.items():
        os.symlink(f"{images}/{target}", f"{d}/w/{name}")
    with open(f"{d}/w/Dockerfile", "w") as f:
        f.write(DOCKERFILE)
    with open(f"{d}/excerpt.sh", "w") as f:
        f.write(EXCERPT)


def run(d, pipeline):
    env = dict(os.environ)
    env.update({
        "PATH": f"{d}/bin:" + env.get("PATH", "/usr/bin:/bin"),
        "XDG_CACHE_HOME": f"{d}/cache",
        "HOME": f"{d}/home",
        "NO_COLOR": "1",
        "TZ": "UTC",
        "LC_ALL": "C.UTF-8",
    })
    for k in list(env):
        if k.startswith("DRYDOCK_"):
            del env[k]
    p = subprocess.run(["bash", "-c", f". {d}/excerpt.sh\n{pipeline}"],
                       cwd=f"{d}/w", env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=600)
    out = p.stdout.decode("utf-8", "replace")
    return out.replace(f"{d}/cache", "~/.cache")


def main():
    mode, dd, images, shared = sys.argv[1:5]
    readme = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")
    lines = open(readme, encoding="utf-8").read().split("\n")
    out_lines = []
    fails = 0
    n = 0
    with tempfile.TemporaryDirectory() as d:
        setup(d, dd, images, shared)
        i = 0
        while i < len(lines):
            m = MARK.match(lines[i])
            out_lines.append(lines[i])
            i += 1
            if not m:
                continue
            n += 1
            if i >= len(lines) or not lines[i].startswith("```"):
                print(f"FAIL readme: the marker at line {i} is not followed "
                      "by a fenced block")
                fails += 1
                continue
            start = i
            end = start + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            block = lines[start + 1:end]
            lead = 0
            while lead < len(block) and block[lead].startswith("$ "):
                lead += 1
            shown = block[:lead]
            want = "\n".join(block[lead:])
            got = run(d, m.group(1)).rstrip("\n")
            label = shown[-1][2:] if shown else m.group(1)
            if mode == "update":
                out_lines.append(lines[start])
                out_lines.extend(shown)
                out_lines.extend(x.rstrip() for x in got.split("\n")
                                 if got)
                out_lines.append(lines[end])
            else:
                if norm(got, d) == norm(want, d):
                    print(f"PASS readme example `{label}`: the README shows "
                          f"its real output ({len(want.splitlines())} lines)")
                else:
                    fails += 1
                    a = norm(want, d).split("\n")
                    b = norm(got, d).split("\n")
                    k = next((j for j in range(min(len(a), len(b)))
                              if a[j] != b[j]), min(len(a), len(b)))
                    print(f"FAIL readme example `{label}` (README line "
                          f"{start + 2 + k}): README has "
                          f"{a[k] if k < len(a) else '<end>'!r}, the program "
                          f"prints {b[k] if k < len(b) else '<end>'!r}; "
                          "run `tests/integration/test_readme.sh update` after an "
                          "intended change")
                out_lines.extend(lines[start:end + 1])
            i = end + 1
    if mode == "update":
        with open(readme, "w", encoding="utf-8") as f:
            f.write("\n".join(out_lines))
        print(f"README.md: {n} examples regenerated")
    elif n == 0:
        print("FAIL readme: no example markers in README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
