#!/usr/bin/env python3
"""fake_daemon.py MODE PORTFILE [options] - small servers on 127.0.0.1 for
test_audit.sh (a free port is written to PORTFILE). Test use only.

MODE
  daemon     a container daemon API: GET /_ping -> "OK" (Api-Version
             header), GET /version -> the Engine's JSON
  harbor     a Harbor: /v2/ -> 401 with a Bearer challenge whose realm is
             https://REALMHOST:PORT/service/token, /api/v2.0/systeminfo
             (harbor_version), /api/v2.0/projects (two public projects),
             /api/v2.0/users/current -> 200 only with admin:Harbor12345;
             every Authorization header received is appended to --authlog
  weak-tls   a registry (/v2/ -> 200) over TLS that accepts TLS 1.0 and
             every cipher at security level 0, NULL and anonymous ones too
  huge       a registry over plain HTTP whose every answer but /v2/ is a
             body of 8 MiB and 2,000 headers (a hostile server)
options
  --tls CERT KEY     serve HTTPS (daemon, harbor; required for weak-tls)
  --realm-host H     harbor: the realm's host (default 127.0.0.1)
  --authlog FILE     harbor: where Authorization headers are logged
"""
import base64
import warnings
import http.server
import json
import os
import socketserver
import ssl
import sys

mode, portfile = sys.argv[1], sys.argv[2]
args = sys.argv[3:]


def opt(name, n=1):
    if name not in args:
        return None
    i = args.index(name)
    return args[i + 1:i + 1 + n] if n > 1 else args[i + 1]


tls = opt("--tls", 2)
realm_host = opt("--realm-host") or "127.0.0.1"
authlog = opt("--authlog")
DEFAULT = "Basic " + base64.b64encode(b"admin:Harbor12345").decode()


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-server"  # no version number: no disclosure finding
    sys_version = ""

    def log_message(self, *a):
        pass

    def send(self, code, body=b"", ctype="application/json", extra=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_DELETE(self):
        self.do_GET()

    def do_POST(self):
        self.do_GET()

    def do_GET(self):
        p = self.path.split("?")[0]
        auth = self.headers.get("Authorization")
        if auth and authlog:
            with open(authlog, "a") as f:
                f.write("%s %s %s\n" % (self.command, p, auth))
        if mode == "daemon":
            if p == "/_ping":
                return self.send(200, b"OK", "text/plain", [("Api-Version", "1.43")])
            if p == "/version":
                return self.send(200, {"Version": "24.0.7", "ApiVersion": "1.43", "Os": "linux",
                                       "Arch": "amd64", "KernelVersion": "6.1.0"})
            return self.send(404, {"message": "page not found"})
        reg = [("Docker-Distribution-API-Version", "registry/2.0")]
        if mode == "harbor":
            port = self.server.server_address[1]
            if p.startswith("/v2/"):
                ch = 'Bearer realm="https://%s:%d/service/token",service="harbor-registry"' % (
                    realm_host, port)
                return self.send(401, {"errors": [{"code": "UNAUTHORIZED"}]},
                                 extra=reg + [("WWW-Authenticate", ch)])
            if p == "/api/v2.0/systeminfo":
                return self.send(200, {"auth_mode": "db_auth", "harbor_version": "v2.9.1-5c8e2b3c",
                                       "self_registration": False})
            if p == "/api/v2.0/projects":
                return self.send(200, [{"name": "library", "project_id": 1, "metadata": {"public": "true"}},
                                       {"name": "team-app", "project_id": 2, "metadata": {"public": "true"}}])
            if p == "/api/v2.0/users/current":
                if auth == DEFAULT:
                    return self.send(200, {"user_id": 1, "username": "admin", "sysadmin_flag": True})
                return self.send(401, {"errors": [{"code": "UNAUTHORIZED"}]})
            return self.send(404, {"errors": [{"code": "NOT_FOUND"}]})
        if mode == "weak-tls":
            if p == "/v2/":
                return self.send(200, b"{}", extra=reg)
            return self.send(404, {"errors": [{"code": "NOT_FOUND"}]}, extra=reg)
        if mode == "huge":
            if p == "/v2/":
                return self.send(200, b"{}", extra=reg)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            for i in range(2000):
                self.send_header("X-Junk-%d" % i, "j" * 40)
            body_len = 8 << 20
            self.send_header("Content-Length", str(body_len))
            self.end_headers()
            chunk = b'{"repositories":["' + b"a" * 65000
            sent = 0
            try:
                while sent < body_len:
                    n = min(len(chunk), body_len - sent)
                    self.wfile.write(chunk[:n])
                    sent += n
            except OSError:
                pass
            return
        self.send(500)


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = S(("127.0.0.1", 0), H)
if tls:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if mode == "weak-tls":
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.set_ciphers("ALL:eNULL:@SECLEVEL=0")
        except (ValueError, ssl.SSLError) as e:
            print("cannot offer TLS 1.0 / weak ciphers here: %s" % e, file=sys.stderr)
            sys.exit(3)
    ctx.load_cert_chain(tls[0], tls[1])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
