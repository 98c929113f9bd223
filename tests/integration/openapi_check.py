#!/usr/bin/env python3
"""tests/integration/openapi_check.py BASE_URL - check a running
`drydock server` against docs/api/openapi.yaml: every documented path and
method is called in ways that provoke each documented status (those named
by --skip are provoked by test_server.sh itself), every answer must be a
documented status of that operation, and a JSON answer must validate
against the documented schema (required fields, types, enums).
Prints PASS/FAIL lines.

Environment: DD_TOKEN_READ, DD_TOKEN_ADMIN, DD_IMAGE (a server-side path
the admin token may scan), DD_DONE_ID (a done job)."""
import json
import os
import sys
import urllib.error
import urllib.request

import jsonschema
import yaml

SPEC = os.path.join(os.path.dirname(__file__), "../../docs/api/openapi.yaml")


def main():
    base = sys.argv[1]
    skip = set(sys.argv[2].split(",")) if len(sys.argv) > 2 else set()
    doc = yaml.safe_load(open(SPEC))
    ok = doc.get("openapi", "").startswith("3.1")
    print(("PASS" if ok else "FAIL") + " openapi: version %s" % doc.get("openapi"))
    read = os.environ["DD_TOKEN_READ"]
    admin = os.environ["DD_TOKEN_ADMIN"]
    image = os.environ["DD_IMAGE"]
    done = os.environ["DD_DONE_ID"]
    # (method, template, url, token, body) -> status wanted
    probes = [
        ("get", "/healthz", "/healthz", None, None, 200),
        ("get", "/readyz", "/readyz", None, None, 200),
        ("get", "/metrics", "/metrics", read, None, 200),
        ("get", "/metrics", "/metrics", None, None, 401),
        ("post", "/api/v1/scans", "/api/v1/scans", admin, json.dumps({"image": image}), 202),
        ("post", "/api/v1/scans", "/api/v1/scans", admin, "{\"image\":", 400),
        ("post", "/api/v1/scans", "/api/v1/scans", admin, json.dumps({"image": "x", "tag": 1}), 400),
        ("post", "/api/v1/scans", "/api/v1/scans", None, json.dumps({"image": "x"}), 401),
        ("post", "/api/v1/scans", "/api/v1/scans", read, json.dumps({"image": "x"}), 403),
        ("post", "/api/v1/scans", "/api/v1/scans", admin, json.dumps({"image": "a" * 70000}), 413),
        ("get", "/api/v1/scans/{id}", "/api/v1/scans/" + done, read, None, 200),
        ("get", "/api/v1/scans/{id}", "/api/v1/scans/987654", read, None, 404),
        ("get", "/api/v1/scans/{id}", "/api/v1/scans/" + done, "ddt_wrong", None, 401),
        ("get", "/api/v1/scans/{id}/report", "/api/v1/scans/%s/report" % done, read, None, 200),
        ("get", "/api/v1/scans/{id}/report", "/api/v1/scans/%s/report?format=sarif" % done, read, None, 200),
        ("get", "/api/v1/scans/{id}/report", "/api/v1/scans/%s/report?format=html" % done, read, None, 400),
        ("get", "/api/v1/scans/{id}/report", "/api/v1/scans/987654/report", read, None, 404),
        ("get", "/api/v1/scans/{id}/report", "/api/v1/scans/%s/report" % done, None, None, 401),
        ("get", "/api/v1/images", "/api/v1/images?limit=10&offset=0", read, None, 200),
        ("get", "/api/v1/images", "/api/v1/images?limit=0", read, None, 400),
        ("get", "/api/v1/images", "/api/v1/images", None, None, 401),
    ]
    provoked = set()
    for method, tmpl, url, tok, body, want in probes:
        op = doc["paths"].get(tmpl, {}).get(method)
        name = "%s %s -> %d" % (method.upper(), url[:60], want)
        if op is None:
            print("FAIL openapi: %s: %s %s is not documented" % (name, method, tmpl))
            continue
        req = urllib.request.Request(base + url, method=method.upper(),
                                     data=body.encode() if body is not None else None)
        if tok:
            req.add_header("Authorization", "Bearer " + tok)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, ctype, data = r.status, r.headers.get("Content-Type", ""), r.read()
        except urllib.error.HTTPError as e:
            status, ctype, data = e.code, e.headers.get("Content-Type", ""), e.read()
        resp = op["responses"].get(str(status))
        if status != want or resp is None:
            print("FAIL openapi: %s: got %d (documented: %s)" % (name, status, ",".join(op["responses"])))
            continue
        if "$ref" in resp:
            resp = doc["components"]["responses"][resp["$ref"].split("/")[-1]]
        media = ctype.split(";")[0].strip()
        content = resp.get("content", {})
        if media not in content:
            print("FAIL openapi: %s: Content-Type %s not documented (%s)" % (name, media, ",".join(content)))
            continue
        schema = content[media].get("schema", {})
        try:
            inst = json.loads(data) if "json" in media else data.decode()
            jsonschema.Draft202012Validator(dict(schema, components=doc["components"])).validate(inst)
        except (ValueError, jsonschema.ValidationError) as e:
            print("FAIL openapi: %s: body does not match the schema: %s" % (name, str(e).splitlines()[0]))
            continue
        provoked.add((method, tmpl, str(status)))
        print("PASS openapi: %s (%s, matches the schema)" % (name, media))
    # every documented operation and status was seen (or is test_server.sh's)
    missing = []
    for tmpl, item in doc["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            for st in op["responses"]:
                if (method, tmpl, st) not in provoked and st not in skip:
                    missing.append("%s %s %s" % (method.upper(), tmpl, st))
    if missing:
        print("FAIL openapi: documented but not checked: " + "; ".join(missing))
    else:
        print("PASS openapi: every documented path, method and status was answered as documented"
              " (%d; not called here: %s)" % (len(provoked), ",".join(sorted(skip))))


if __name__ == "__main__":
    main()
