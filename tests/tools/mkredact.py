#!/usr/bin/env python3
"""tests/tools/mkredact.py OUT.tar DOCKERFILE - a docker-archive image and
a Dockerfile that carry secrets in every place an image keeps text: a
build argument in a RUN step's history (ARG NPM_TOKEN), ENV steps and Env
(a password, a GitHub token, AWS keys), Labels, Cmd, Entrypoint, User's
neighbour Workdir, Healthcheck, and files (.env, .npmrc, credentials).
Prints the secret values, one per line as NAME VALUE PUBLIC-PREFIX, so a
test can check that no report shows more than the public prefix and, for
tokens of 32 characters or more, the last 4."""
import hashlib, io, json, sys, tarfile

# Fake values with the vendors' shapes (not live credentials).
SECRETS = {
    "npm": ("npm_Zq7TnR2xWv9LmK4pQs8YbJ3dHf6GcAe1Uo0i", "npm_"),
    "ghp": ("ghp_Xb9TqW3mZr7KpL2vNs8YdJ4hFc6GaE1Uo5Qi", "ghp_"),
    "akid": ("AKIAQ7XM3ZR9KPL2VNS8", "AKIA"),
    "awssec": ("Zr7Kp/L2vNs8YdJ4hFc6GaE1Uo5QiXb9TqW3mQxW", ""),
    "dbpw": ("Tr0ub4dor-Horse-Staple-77", ""),
    "labelpw": ("L4bel-S3cret-Value-X9", ""),
    "cmdpw": ("Cmd-Hunter2-Passw0rd-5", ""),
    "hcpw": ("Hc-Pr0be-Passw0rd-88", ""),
}


def v(k):
    return SECRETS[k][0]


def main():
    out, dockerfile = sys.argv[1], sys.argv[2]
    files = {
        "app/.env": "DB_HOST=db\nDB_PASSWORD=%s\n" % v("dbpw"),
        "root/.npmrc": "//npm.internal.example/:_authToken=%s\n" % v("npm"),
        "root/.aws/credentials": "[default]\naws_access_key_id = %s\n"
                                 "aws_secret_access_key = %s\n"
                                 % (v("akid"), v("awssec")),
        "app/config.yaml": "github:\n  token: %s\n" % v("ghp"),
    }
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for d in ("app", "root", "root/.aws"):
            ti = tarfile.TarInfo(d)
            ti.type = tarfile.DIRTYPE
            ti.mode = 0o755
            tf.addfile(ti)
        for n, t in files.items():
            b = t.encode()
            ti = tarfile.TarInfo(n)
            ti.size = len(b)
            ti.mode = 0o600
            tf.addfile(ti, io.BytesIO(b))
    ldata = layer.getvalue()
    diff = "sha256:" + hashlib.sha256(ldata).hexdigest()
    env = ["PATH=/usr/local/bin:/usr/bin:/bin",
           "DB_PASSWORD=" + v("dbpw"),
           "GITHUB_TOKEN=" + v("ghp"),
           "AWS_ACCESS_KEY_ID=" + v("akid"),
           "AWS_SECRET_ACCESS_KEY=" + v("awssec")]
    steps = [
        {"created_by": "/bin/sh -c #(nop) ADD file:0123 in / "},
        {"created_by": "/bin/sh -c #(nop)  ARG NPM_TOKEN", "empty_layer": True},
        {"created_by": "|1 NPM_TOKEN=%s /bin/sh -c npm ci --omit=dev"
                       % v("npm"), "empty_layer": True},
        {"created_by": "/bin/sh -c #(nop)  ENV DB_PASSWORD=%s" % v("dbpw"),
         "empty_layer": True},
        {"created_by": "/bin/sh -c #(nop)  ENV GITHUB_TOKEN=%s" % v("ghp"),
         "empty_layer": True},
        {"created_by": "/bin/sh -c echo password=%s > /dev/null"
                       % v("cmdpw"), "empty_layer": True},
    ]
    for s in steps:
        s["created"] = "2024-01-01T00:00:00Z"
    cfg = {
        "architecture": "amd64", "os": "linux",
        "created": "2024-01-01T00:00:00Z",
        "config": {
            "User": "app",
            "WorkingDir": "/app",
            "Env": env,
            "Cmd": ["sh", "-c", "mysql --password=%s db" % v("cmdpw")],
            "Entrypoint": ["/bin/tini", "--", "env",
                           "API_TOKEN=" + v("ghp")],
            "Labels": {"org.opencontainers.image.authors": "dev team",
                       "com.example.db-password": v("labelpw"),
                       "com.example.note": "deploy with " + v("akid")},
            "Healthcheck": {"Test": ["CMD", "probe", "--user=admin",
                                     "--password=" + v("hcpw"),
                                     "http://localhost/"]},
        },
        "rootfs": {"type": "layers", "diff_ids": [diff]},
        "history": steps,
    }
    cdata = json.dumps(cfg).encode()
    cname = hashlib.sha256(cdata).hexdigest() + ".json"
    manifest = [{"Config": cname, "RepoTags": ["redact:test"],
                 "Layers": ["layer.tar"]}]
    with tarfile.open(out, "w") as img:
        for n, d in ((cname, cdata), ("layer.tar", ldata),
                     ("manifest.json", json.dumps(manifest).encode())):
            ti = tarfile.TarInfo(n)
            ti.size = len(d)
            img.addfile(ti, io.BytesIO(d))
    with open(dockerfile, "w") as f:
        f.write("FROM debian:12\n"
                "ARG NPM_TOKEN=%s\n"
                "ENV DB_PASSWORD=%s\n"
                "ENV GITHUB_TOKEN=%s AWS_ACCESS_KEY_ID=%s\n"
                "RUN echo password=%s\n"
                "USER app\n" % (v("npm"), v("dbpw"), v("ghp"), v("akid"),
                                v("cmdpw")))
    for k, (val, pre) in SECRETS.items():
        print(k, val, pre or "-")


if __name__ == "__main__":
    main()
