#!/usr/bin/env python3
"""A small HTTPS static file server for the db update test.

usage: https_server.py DIR CERT KEY PORTFILE LOG
Serves DIR on 127.0.0.1 (a free port, written to PORTFILE) with
If-Modified-Since support (304), logging each request line to LOG."""
import functools
import http.server
import ssl
import sys

d, cert, key, portfile, log = sys.argv[1:6]


class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        with open(log, "a") as f:
            f.write("%s %s\n" % (self.command, self.path) +
                    ("" if "If-Modified-Since" not in self.headers else
                     "conditional\n"))


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                      functools.partial(H, directory=d))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(portfile, "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
