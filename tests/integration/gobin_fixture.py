#!/usr/bin/env python3
"""gobin_fixture.py - helpers of test_gobin.sh (standard library only).

  proxy DIR
      a Go module proxy tree (GOPROXY=file://DIR) with example.com/greet
      v1.2.0, example.com/color v0.3.1, example.com/colorfork v0.3.2 and
      example.com/tool v1.0.0 (a command needing greet), and the source of
      example.com/hello in DIR/../hello: it needs greet and color, color
      replaced by colorfork v0.3.2, and example.com/local replaced by the
      directory ./local
  want IMAGE_PATH < `go version -m BINARY`
      the packages drydock must report for the binary, one
      "IMAGE_PATH<TAB>NAME<TAB>VERSION" line each: every dep under its
      replacement's path and version when replaced, the main module, the
      toolchain as stdlib with "go" dropped; modules whose version is
      "(devel)" are none
  corrupt IN OUT
      a copy of a Go >= 1.18 binary whose module info lost the newline
      before its end sentinel (the build info cannot be read)"""
import io
import os
import sys
import zipfile

MODS = {
    ("example.com/greet", "v1.2.0"): {
        "greet.go": "package greet\n\nfunc Hello() string { return \"hello\" }\n"},
    ("example.com/color", "v0.3.1"): {
        "color.go": "package color\n\nfunc Name() string { return \"red\" }\n"},
    ("example.com/colorfork", "v0.3.2"): {
        "color.go": "package color\n\nfunc Name() string { return \"blue\" }\n"},
    ("example.com/tool", "v1.0.0"): {
        "main.go": "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/greet\"\n)\n\n"
                   "func main() { fmt.Println(greet.Hello()) }\n",
        "go.mod": "module example.com/tool\n\ngo 1.18\n\nrequire example.com/greet v1.2.0\n"},
}


def proxy(d):
    for (path, ver), files in MODS.items():
        gomod = files.get("go.mod", "module %s\n\ngo 1.18\n" % path)
        if path == "example.com/colorfork":
            gomod = "module example.com/color\n\ngo 1.18\n"  # a fork keeps its path
        v = os.path.join(d, path, "@v")
        os.makedirs(v, exist_ok=True)
        with open(os.path.join(v, "list"), "a") as f:
            f.write(ver + "\n")
        with open(os.path.join(v, ver + ".info"), "w") as f:
            f.write('{"Version":"%s","Time":"2024-01-01T00:00:00Z"}\n' % ver)
        with open(os.path.join(v, ver + ".mod"), "w") as f:
            f.write(gomod)
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w") as z:
            pre = "%s@%s/" % (path, ver)
            z.writestr(pre + "go.mod", gomod)
            for n, src in files.items():
                if n != "go.mod":
                    z.writestr(pre + n, src)
        with open(os.path.join(v, ver + ".zip"), "wb") as f:
            f.write(b.getvalue())
    h = os.path.join(os.path.dirname(os.path.abspath(d)), "hello")
    os.makedirs(os.path.join(h, "local"), exist_ok=True)
    with open(os.path.join(h, "go.mod"), "w") as f:
        f.write("module example.com/hello\n\ngo 1.18\n\n"
                "require (\n\texample.com/greet v1.2.0\n\texample.com/color v0.3.1\n"
                "\texample.com/local v0.1.0\n)\n\n"
                "replace example.com/color v0.3.1 => example.com/colorfork v0.3.2\n\n"
                "replace example.com/local => ./local\n")
    with open(os.path.join(h, "main.go"), "w") as f:
        f.write("package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/color\"\n"
                "\t\"example.com/greet\"\n\t\"example.com/local\"\n)\n\n"
                "func main() { fmt.Println(greet.Hello(), color.Name(), local.X) }\n")
    with open(os.path.join(h, "local", "go.mod"), "w") as f:
        f.write("module example.com/local\n\ngo 1.18\n")
    with open(os.path.join(h, "local", "local.go"), "w") as f:
        f.write("package local\n\nconst X = 1\n")


def want(where):
    lines = sys.stdin.read().split("\n")
    out = []
    first = lines[0]
    gov = first.split(": ", 1)[1].split(" ")[0] if ": " in first else ""
    cur = None

    def flush():
        if cur and cur[1] and cur[1] != "(devel)":
            out.append(cur)

    for ln in lines[1:]:
        f = ln.strip("\n").split("\t")
        if len(f) < 2:
            continue
        kind = f[1]
        if kind in ("dep", "mod"):
            flush()
            cur = [f[2], f[3] if len(f) > 3 else ""]
        elif kind == "=>" and cur:
            cur = [f[2], f[3] if len(f) > 3 else ""]
            flush()
            cur = None
    flush()
    if gov.startswith("go"):
        out.append(["stdlib", gov[2:]])
    for n, v in out:
        print("%s\t%s\t%s" % (where, n, v))


def corrupt(src, dst):
    data = bytearray(open(src, "rb").read())
    i = data.find(b"\xff Go buildinf:")
    while i >= 0 and (i % 16 or not data[i + 15] & 2):
        i = data.find(b"\xff Go buildinf:", i + 1)
    assert i >= 0, "no inline build info"
    p = i + 32
    p += 1 + data[p]  # the version (short)
    n, sh = 0, 0
    while True:  # the module info's uvarint length
        c = data[p]
        p += 1
        n |= (c & 0x7f) << sh
        sh += 7
        if not c & 0x80:
            break
    data[p + n - 17] = ord("x")  # the newline before the end sentinel
    open(dst, "wb").write(data)
    os.chmod(dst, 0o755)


if __name__ == "__main__":
    if sys.argv[1] == "proxy":
        proxy(sys.argv[2])
    elif sys.argv[1] == "want":
        want(sys.argv[2])
    else:
        corrupt(sys.argv[2], sys.argv[3])
