#!/usr/bin/env python3
"""mkjarbig.py OUT_DIR KIND [LAYERS [MIB_PER_LAYER]] - a docker-archive
(uncompressed layers) of Java archives for measuring peak memory
(docs: lib/lang/java.h limits):
  many  each layer holds copies of /usr/share/java/*.jar (real jars)
  big   each layer holds stored jars of ~60 MiB (one pom.properties each,
        the rest random bytes), just under the 64 MiB buffered cap
Writes OUT_DIR/KIND.tar; defaults 4 layers of 512 MiB (2 GiB)."""
import glob, hashlib, io, json, os, sys, tarfile, zipfile

out, kind = sys.argv[1], sys.argv[2]
nl = int(sys.argv[3]) if len(sys.argv) > 3 else 4
per = (int(sys.argv[4]) if len(sys.argv) > 4 else 512) << 20
os.makedirs(out, exist_ok=True)


def big_jar(i):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_STORED) as z:
        z.writestr("META-INF/maven/org.example/big%d/pom.properties" % i,
                   "groupId=org.example\nartifactId=big%d\nversion=1.%d\n" % (i, i))
        z.writestr("data.bin", os.urandom(60 << 20))
    return b.getvalue()


jars = sorted(f for f in glob.glob("/usr/share/java/*.jar") if not os.path.islink(f))
layers = []
for L in range(nl):
    lt = os.path.join(out, "layer%d.tar" % L)
    size, k = 0, 0
    with tarfile.open(lt, "w", format=tarfile.PAX_FORMAT) as tf:
        while size < per:
            if kind == "big":
                data, name = big_jar(L * 100 + k), "opt/l%d/big%d-1.%d.jar" % (L, k, L * 100 + k)
            else:
                f = jars[k % len(jars)]
                data = open(f, "rb").read()
                name = "opt/l%d/c%d/%s" % (L, k // len(jars), os.path.basename(f))
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime = len(data), 0
            tf.addfile(ti, io.BytesIO(data))
            size += len(data)
            k += 1
    layers.append(lt)
diff_ids = []
for lt in layers:
    h = hashlib.sha256()
    with open(lt, "rb") as f:
        for c in iter(lambda: f.read(1 << 20), b""):
            h.update(c)
    diff_ids.append("sha256:" + h.hexdigest())
cfg = json.dumps({"architecture": "amd64", "os": "linux",
                  "rootfs": {"type": "layers", "diff_ids": diff_ids},
                  "history": [{"created_by": "COPY jars"}] * nl}).encode()
cname = hashlib.sha256(cfg).hexdigest() + ".json"
man = json.dumps([{"Config": cname, "RepoTags": ["jars:%s" % kind],
                   "Layers": ["%s/layer.tar" % d[7:] for d in diff_ids]}]).encode()
with tarfile.open(os.path.join(out, kind + ".tar"), "w") as t:
    for name, data in (("manifest.json", man), (cname, cfg)):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    for lt, d in zip(layers, diff_ids):
        t.add(lt, "%s/layer.tar" % d[7:])
        os.unlink(lt)
