#!/usr/bin/env python3
"""mini_registry.py LAYOUT PORT [--truncate] [--tls CERT KEY] [--bearer USER:PASS]
A read-only OCI distribution endpoint on 127.0.0.1 serving one OCI image
layout (tags from index.json annotations). Test use only.
  --truncate  every large blob announces its length and the connection
              closes after half of it (a registry dying mid-pull)
  --resumable every whole answer for a large blob is cut, but Range
              requests are served (206): a pull that must resume
  --tls       HTTPS with this certificate
  --flaky     the first request of every path gets 429 or 503 with
              Retry-After: 1
  --bearer    token auth: 401 + Bearer challenge, /token wants Basic
              USER:PASS and hands out a token; blobs are redirected to
              another host name (localhost instead of 127.0.0.1), which
              records any Authorization header it receives
  --realm-host H  the challenge's realm names host H (default 127.0.0.1)
GET /v2/<repo>/referrers/<digest> lists the layout's manifests with that subject.
GET /stats gives {"token_requests": n, "leaked_auth": n}."""
import base64
import http.server
import json
import os
import ssl
import sys

layout, port = sys.argv[1], int(sys.argv[2])
truncate = "--truncate" in sys.argv
resumable = "--resumable" in sys.argv  # whole answers are cut, Range requests served
tls = sys.argv[sys.argv.index("--tls") + 1:sys.argv.index("--tls") + 3] if "--tls" in sys.argv else None
bearer = sys.argv[sys.argv.index("--bearer") + 1] if "--bearer" in sys.argv else None
flaky = "--flaky" in sys.argv  # first request of every path: 503 or 429 with Retry-After
# the host name the Bearer challenge's realm names (another "domain" than
# 127.0.0.1 when it is localhost)
realm_host = sys.argv[sys.argv.index("--realm-host") + 1] if "--realm-host" in sys.argv else "127.0.0.1"
seen = set()
TOKEN = "tok-" + os.urandom(8).hex()
stats = {"token_requests": 0, "leaked_auth": 0, "refused": 0}
scheme = "https" if tls else "http"
blobs = os.path.join(layout, "blobs", "sha256")
index = json.load(open(os.path.join(layout, "index.json")))
tags = {}
for m in index["manifests"]:
    t = m.get("annotations", {}).get("org.opencontainers.image.ref.name")
    if t:
        tags[t] = m


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, code, body=b"", ctype="application/json", cut=False):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        self.end_headers()
        if cut:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def do_GET(self):
        p = self.path.split("?")[0]
        if p == "/stats":
            return self.send(200, json.dumps(stats).encode())
        if flaky and p not in seen:
            seen.add(p)
            stats["refused"] += 1
            self.send_response(429 if len(seen) % 2 else 503)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")
            return
        if p == "/token":
            stats["token_requests"] += 1
            want = "Basic " + base64.b64encode(bearer.encode()).decode()
            if self.headers.get("Authorization") != want:
                return self.send(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}')
            return self.send(200, json.dumps({"token": TOKEN, "expires_in": 300}).encode())
        if p.startswith("/storage/"):
            if self.headers.get("Authorization"):
                stats["leaked_auth"] += 1
            f = os.path.join(blobs, p.split("/")[-1])
            return self.send(200, open(f, "rb").read(), "application/octet-stream")
        if bearer and self.headers.get("Authorization") != "Bearer " + TOKEN:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Bearer realm="%s://%s:%d/token",service="mini",'
                             'scope="repository:alpine:pull"' % (scheme, realm_host, port))
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")
            return
        if p == "/v2/":
            return self.send(200, b"{}")
        parts = p.split("/")
        if len(parts) < 5 or parts[1] != "v2":
            return self.send(404, b'{"errors":[{"code":"NAME_UNKNOWN"}]}')
        kind, ref = parts[-2], parts[-1]
        if kind == "manifests":
            m = tags.get(ref)
            dig = m["digest"] if m else ref
            f = os.path.join(blobs, dig.split(":")[-1])
            if not os.path.isfile(f):
                return self.send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}')
            body = open(f, "rb").read()
            mt = json.loads(body).get("mediaType", "application/vnd.oci.image.manifest.v1+json")
            return self.send(200, body, mt)
        if kind == "referrers":  # OCI 1.1: layout entries whose subject is ref
            out = []
            for m in index["manifests"]:
                f = os.path.join(blobs, m["digest"].split(":")[-1])
                j = json.load(open(f)) if os.path.isfile(f) else {}
                if j.get("subject", {}).get("digest") == ref:
                    out.append({"mediaType": m["mediaType"], "digest": m["digest"], "size": m["size"],
                                "artifactType": j.get("artifactType", "")})
            return self.send(200, json.dumps({"schemaVersion": 2, "manifests": out,
                                              "mediaType": "application/vnd.oci.image.index.v1+json"}).encode(),
                             "application/vnd.oci.image.index.v1+json")
        if kind == "blobs":
            f = os.path.join(blobs, ref.split(":")[-1])
            if not os.path.isfile(f):
                return self.send(404, b'{"errors":[{"code":"BLOB_UNKNOWN"}]}')
            if bearer:  # to "storage" on another host name
                self.send_response(307)
                self.send_header("Location", "%s://localhost:%d/storage/%s" % (scheme, port, ref.split(":")[-1]))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = open(f, "rb").read()
            big = len(body) > 100000
            rng = self.headers.get("Range")
            if rng and truncate:
                stats["ranges"] = stats.get("ranges", 0) + 1
                return self.send(206, body[int(rng[6:-1]):], "application/octet-stream", cut=True)
            if rng and rng.startswith("bytes=") and rng.endswith("-"):
                start = int(rng[6:-1])
                stats["ranges"] = stats.get("ranges", 0) + 1
                self.send_response(206)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(body) - 1, len(body)))
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                self.wfile.write(body[start:])
                return
            return self.send(200, body, "application/octet-stream", cut=big and (truncate or resumable))
        return self.send(404, b"{}")


srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
if tls:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tls[0], tls[1])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
