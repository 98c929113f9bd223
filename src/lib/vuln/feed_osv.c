/*
 * lib/vuln/feed_osv.c - OSV records (https://ossf.github.io/osv-schema).
 *
 * One JSON object per record: id, aliases (+ Debian's "upstream"),
 * summary/details, severity[] (CVSS vectors; v3 scored here),
 * database_specific.severity (GHSA words), published/modified, and
 * affected[] with package {ecosystem, name}, ranges[] (ECOSYSTEM and
 * SEMVER events; GIT ranges carry no version and are skipped) and
 * versions[]. The ranges and versions are stored as JSON and evaluated
 * at match time with the ecosystem's comparator.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "vuln_int.h"
#include "../eco/distro.h"
#include "../eco/eco.h"

/* OSV ecosystem -> database namespace and scheme name, from the one
 * ecosystem table (lib/eco) */
int dd__osv_namespace(const char *ecosystem,
                      char *ns,
                      size_t n,
                      const char **scheme)
{
    return dd__osv_pkg_namespace(ecosystem, NULL, ns, n, scheme);
}

int dd__osv_pkg_namespace(const char *ecosystem,
                          const char *purl,
                          char *ns,
                          size_t n,
                          const char **scheme)
{
    dd_version_scheme ds;
    if (!dd__distro_osv_ns(ecosystem, purl, ns, n, &ds)) {
        *scheme = dd_version_scheme_name(ds);
        return 0;
    }
    const dd__eco *e = dd__eco_by_osv(ecosystem);
    if (!e) {
        return -1;
    }
    *scheme = e->has_scheme ? dd_version_scheme_name(e->scheme) : NULL;
    const char *colon = strchr(ecosystem, ':');
    if (!e->release || !colon) {
        snprintf(ns, n, "%s", e->id);
        return 0;
    }
    /* "Alpine:v3.20" -> 3.20; "Ubuntu:22.04:LTS" -> 22.04 */
    const char *r = colon + 1;
    if (*r == 'v') {
        r++;
    }
    size_t rl = strcspn(r, ":");
    snprintf(ns, n, "%s:%.*s", e->id, (int)rl, r);
    return 0;
}

static const char *str(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *ghsa_severity(const char *s)
{
    if (!s) {
        return NULL;
    }
    if (!strcasecmp(s, "moderate") || !strcasecmp(s, "medium")) {
        return "MEDIUM";
    }
    if (!strcasecmp(s, "low")) {
        return "LOW";
    }
    if (!strcasecmp(s, "high") || !strcasecmp(s, "important")) {
        return "HIGH";
    }
    if (!strcasecmp(s, "critical")) {
        return "CRITICAL";
    }
    return NULL;
}

int dd__feed_osv_json(const dd__vuln_sink *sink,
                      const char *where,
                      const char *data,
                      size_t len)
{
    json_t *r = NULL;
    dd_error e;
    if (dd__json_parse(&r, data, len, 0, where, &e) || !json_is_object(r)) {
        if (r) {
            dd__sink_malformed(sink, "%s: not an OSV JSON object", where);
        } else {
            dd__sink_malformed(sink, "%s", e.message);
        }
        json_decref(r);
        return 0;
    }
    int rc = 0;
    const char *id = str(r, "id");
    json_t *aff = json_object_get(r, "affected");
    if (!id || !*id || strlen(id) > 200 || (aff && !json_is_array(aff))) {
        dd__sink_malformed(sink, "%s: OSV record without a usable id/affected",
                           where);
        json_decref(r);
        return 0;
    }
    const char *aliases[64];
    size_t na = 0;
    static const char *const akeys[] = {"aliases", "upstream"};
    for (int k = 0; k < 2; k++) {
        json_t *arr = json_object_get(r, akeys[k]);
        size_t i;
        json_t *x;
        json_array_foreach(arr, i, x)
        {
            if (json_is_string(x) && na < 64) {
                aliases[na++] = json_string_value(x);
            }
        }
    }
    char summary[320] = "";
    const char *s = str(r, "summary");
    if (!s || !*s) {
        s = str(r, "details");
    }
    if (s) {
        snprintf(summary, sizeof summary, "%.*s", (int)strcspn(s, "\n"), s);
    }
    dd__advisory v = {id,
                      summary[0] ? summary : NULL,
                      NULL,
                      NULL,
                      -1,
                      str(r, "published"),
                      str(r, "modified"),
                      aliases,
                      na};
    json_t *sev = json_object_get(r, "severity");
    size_t i;
    json_t *x;
    json_array_foreach(sev, i, x)
    {
        const char *t = str(x, "type"), *sc = str(x, "score");
        if (t && sc && !strncmp(t, "CVSS_V3", 7)) {
            v.cvss_vector = sc;
            v.cvss_score = dd__cvss3_score(sc);
        } else if (t && sc && !v.cvss_vector) {
            v.cvss_vector = sc;
        }
    }
    v.severity =
        ghsa_severity(str(json_object_get(r, "database_specific"), "severity"));
    if (!v.severity) {
        v.severity = dd__cvss_severity(v.cvss_score);
    }
    if ((rc = sink->advisory(sink->ctx, &v))) {
        json_decref(r);
        return rc;
    }
    json_array_foreach(aff, i, x)
    {
        json_t *pkg = json_object_get(x, "package");
        const char *eco = str(pkg, "ecosystem"), *name = str(pkg, "name");
        if (!eco || !*eco || !name || !*name) {
            dd__sink_malformed(sink, "%s: affected[%zu] has no package", where,
                               i);
            continue;
        }
        char ns[160];
        const char *scheme = NULL;
        if (dd__osv_pkg_namespace(eco, str(pkg, "purl"), ns, sizeof ns,
                                  &scheme)) {
            snprintf(ns, sizeof ns, "%s", eco);
            for (char *p = ns; *p; p++) {
                *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
            }
        }
        /* names as the ecosystem compares them (PEP 503, NuGet case) */
        char normname[512];
        if (!dd__eco_normalize(dd__eco_by_osv(eco), name, normname,
                               sizeof normname)) {
            name = normname;
        }
        json_t *ranges = json_object_get(x, "ranges");
        json_t *versions = json_object_get(x, "versions");
        json_t *keep = json_array();
        const char *fixed = NULL;
        int open_ended = 0, any = 0;
        size_t j;
        json_t *rg;
        json_array_foreach(ranges, j, rg)
        {
            const char *type = str(rg, "type");
            json_t *ev = json_object_get(rg, "events");
            if (!type || !json_is_array(ev) || !strcmp(type, "GIT")) {
                continue;
            }
            json_array_append(keep, rg);
            any = 1;
            int intro = 0;
            size_t k;
            json_t *e1;
            json_array_foreach(ev, k, e1)
            {
                if (str(e1, "introduced")) {
                    intro = 1;
                } else if (str(e1, "fixed") || str(e1, "last_affected") ||
                           str(e1, "limit")) {
                    if (str(e1, "fixed") && !fixed) {
                        fixed = str(e1, "fixed");
                    }
                    intro = 0;
                }
            }
            open_ended |= intro;
        }
        if (!any && !json_is_array(versions)) {
            json_decref(keep);
            continue; /* GIT-only: nothing to match a version against */
        }
        /* The common shapes need no JSON at match time: one range
         * "introduced 0 [, fixed X]" and no version list. */
        char *rj = NULL;
        const char *simple = NULL;
        if (json_array_size(keep) == 1 && !json_is_array(versions)) {
            json_t *ev = json_object_get(json_array_get(keep, 0), "events");
            const char *i0 = str(json_array_get(ev, 0), "introduced");
            const char *f1 = str(json_array_get(ev, 1), "fixed");
            if (i0 && !strcmp(i0, "0") &&
                (json_array_size(ev) == 1 ||
                 (json_array_size(ev) == 2 && f1))) {
                simple = f1 ? "fixed" : "affected";
                fixed = f1;
            }
        }
        if (!simple) {
            json_t *doc = json_object();
            json_object_set_new(doc, "ranges", keep);
            keep = NULL;
            if (json_is_array(versions)) {
                json_object_set(doc, "versions", versions);
            }
            rj = json_dumps(doc, JSON_COMPACT);
            json_decref(doc);
            if (!rj) {
                rc = DD_ENOMEM;
                break;
            }
        }
        json_decref(keep);
        json_t *es = json_object_get(x, "ecosystem_specific");
        const char *urg = str(es, "urgency");
        dd__affected a = {ns,
                          name,
                          scheme,
                          urg && !strcmp(urg, "end-of-life") ? "end-of-life"
                          : simple                           ? simple
                          : (fixed && !open_ended)           ? "fixed"
                                                             : "affected",
                          fixed,
                          rj,
                          dd__urgency_severity(urg)};
        rc = sink->affected(sink->ctx, &a);
        free(rj); /* json_dumps() result: jansson allocator */
        if (rc) {
            break;
        }
    }
    json_decref(r);
    return rc;
}
