#!/usr/bin/env python3
"""Check an SBOM document drydock wrote.

  sbom_check.py cyclonedx DOC SCHEMA_DIR
      validate against the official CycloneDX 1.6 JSON schema (with its
      spdx and jsf sub-schemas) as shipped in npm @cyclonedx/cyclonedx-library
  sbom_check.py spdx DOC
      check the SPDX 2.3 mandatory document and package fields, SPDXID
      syntax and uniqueness, relationship targets and purl syntax. (No
      Debian or reachable npm package ships the official SPDX 2.3 JSON
      schema, and the project rule forbids a hand-written schema, so this
      is a field-by-field check of the spec's requirements, not a schema.)
Prints a short summary; exit 1 with the first problems on failure."""
import json
import os
import re
import sys

kind, path = sys.argv[1], sys.argv[2]
doc = json.load(open(path))
PURL = re.compile(r"^pkg:(deb|apk|rpm)/[a-z0-9.-]+/[A-Za-z0-9.%_~-]+@[A-Za-z0-9.%_~-]+"
                  r"(\?[a-z]+=[A-Za-z0-9.%_~-]+(&[a-z]+=[A-Za-z0-9.%_~-]+)*)?$")

if kind == "cyclonedx":
    import warnings
    warnings.simplefilter("ignore", DeprecationWarning)
    import jsonschema
    sdir = sys.argv[3]
    store = {}
    main = None
    for f in os.listdir(sdir):
        if f.endswith(".schema.json"):
            s = json.load(open(os.path.join(sdir, f)))
            if "$id" in s:
                store[s["$id"]] = s
            # the bundled files refer to each other by file name
            # ("spdx.SNAPSHOT.schema.json"), not by $id
            store["http://cyclonedx.org/schema/" + f] = s
            if f.startswith("bom-1.6"):
                main = s
    resolver = jsonschema.RefResolver.from_schema(main, store=store)
    v = jsonschema.Draft7Validator(main, resolver=resolver)
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    bad = [p.get("purl") for p in doc.get("components", [])
           if p.get("type") == "library" and not PURL.match(p.get("purl", ""))]
    if errs or bad:
        for e in errs[:5]:
            print(f"{list(e.path)}: {e.message[:200]}")
        print("bad purls:", bad[:5])
        sys.exit(1)
    print(f"{len(doc['components'])} components, specVersion {doc['specVersion']}")
    sys.exit(0)

problems = []
for k in ("spdxVersion", "dataLicense", "SPDXID", "name", "documentNamespace",
          "creationInfo"):
    if k not in doc:
        problems.append(f"document lacks {k}")
if doc.get("spdxVersion") != "SPDX-2.3":
    problems.append("spdxVersion is not SPDX-2.3")
if doc.get("dataLicense") != "CC0-1.0":
    problems.append("dataLicense must be CC0-1.0")
if doc.get("SPDXID") != "SPDXRef-DOCUMENT":
    problems.append("document SPDXID must be SPDXRef-DOCUMENT")
if not re.match(r"^[a-z]+://[^#\s]+$", doc.get("documentNamespace", "")):
    problems.append("documentNamespace must be an absolute URI without '#'")
ci = doc.get("creationInfo", {})
if not ci.get("creators") or not all(re.match(r"^(Tool|Person|Organization): .+", c)
                                     for c in ci["creators"]):
    problems.append("creationInfo.creators")
if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", ci.get("created", "")):
    problems.append("creationInfo.created must be YYYY-MM-DDThh:mm:ssZ")
ids = set()
for p in doc.get("packages", []):
    sid = p.get("SPDXID", "")
    if not re.match(r"^SPDXRef-[A-Za-z0-9.-]+$", sid) or sid in ids:
        problems.append(f"bad or duplicate SPDXID {sid!r}")
    ids.add(sid)
    for k in ("name", "downloadLocation"):
        if not p.get(k):
            problems.append(f"{sid} lacks {k}")
    for k in ("licenseConcluded", "licenseDeclared", "copyrightText"):
        if k in p and not p[k]:
            problems.append(f"{sid}: empty {k}")
    sup = p.get("supplier")
    if sup and not re.match(r"^(NOASSERTION|(Person|Organization): .+)$", sup):
        problems.append(f"{sid}: supplier {sup!r}")
    for r in p.get("externalRefs", []):
        if r.get("referenceCategory") != "PACKAGE-MANAGER" or \
           r.get("referenceType") != "purl" or not PURL.match(r.get("referenceLocator", "")):
            problems.append(f"{sid}: externalRef {r}")
    if p.get("primaryPackagePurpose") not in (None, "APPLICATION", "FRAMEWORK", "LIBRARY",
                                               "CONTAINER", "OPERATING-SYSTEM", "DEVICE",
                                               "FIRMWARE", "SOURCE", "ARCHIVE", "FILE",
                                               "INSTALL", "OTHER"):
        problems.append(f"{sid}: primaryPackagePurpose")
for r in doc.get("relationships", []):
    for k in ("spdxElementId", "relatedSpdxElement"):
        if r.get(k) not in ids | {"SPDXRef-DOCUMENT"}:
            problems.append(f"relationship to unknown element {r.get(k)}")
for d in doc.get("documentDescribes", []):
    if d not in ids:
        problems.append(f"documentDescribes unknown {d}")
contained = {r["relatedSpdxElement"] for r in doc.get("relationships", [])}
orphans = [i for i in ids if i not in contained]
if orphans:
    problems.append(f"packages no relationship reaches: {orphans[:3]}")
if problems:
    print("; ".join(problems[:8]))
    sys.exit(1)
print(f"{len(ids)} packages, {len(doc.get('relationships', []))} relationships")
