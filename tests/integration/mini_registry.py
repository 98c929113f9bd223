#!/usr/bin/env python3
"""mini_registry.py LAYOUT PORT [--truncate] - a plain-HTTP, read-only OCI
distribution endpoint on 127.0.0.1 serving one OCI image layout (tags from
index.json annotations). With --truncate every blob response announces
its full length and the connection is closed after half of it: a registry
that dies in the middle of a pull. Test use only."""
import hashlib
import http.server
import json
import os
import sys

layout, port = sys.argv[1], int(sys.argv[2])
truncate = "--truncate" in sys.argv
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
        if kind == "blobs":
            f = os.path.join(blobs, ref.split(":")[-1])
            if not os.path.isfile(f):
                return self.send(404, b'{"errors":[{"code":"BLOB_UNKNOWN"}]}')
            body = open(f, "rb").read()
            big = len(body) > 100000
            return self.send(200, body, "application/octet-stream", cut=truncate and big)
        return self.send(404, b"{}")


http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
