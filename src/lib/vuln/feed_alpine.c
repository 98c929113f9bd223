/*
 * lib/vuln/feed_alpine.c - Alpine secdb (secdb.alpinelinux.org).
 *
 * { distroversion: "v3.20", reponame: "main", packages: [ { pkg: { name,
 *   secfixes: { "<fixed version>": ["CVE-...", ...] } } } ] }
 * served as JSON today and as YAML of the same shape before (read with
 * libyaml and turned into the same tree). A fixed version of "0" means
 * the issue never affected Alpine's package (not-affected). An entry may
 * carry words after its id ("CVE-2019-1 (fixed upstream)"): the id is
 * the first word and must look like one.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "vuln_int.h"
#include "../../util/yaml_json.h"

static json_t *load_yaml(const char *data, size_t len, char *why, size_t n)
{
    json_t *r = NULL;
    char w[200] = "";
    int rc = dd__yaml_to_json(&r, data, len, w, sizeof w);
    if (rc) {
        snprintf(why, n, "%s", rc == DD_ENOMEM ? "out of memory" : w);
    }
    return r;
}

static int id_like(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n &&
           ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) {
        i++;
    }
    if (i < 2 || i >= n || s[i] != '-') {
        return 0;
    }
    for (i++; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z') || c == '-' || c == '_')) {
            return 0;
        }
    }
    return 1;
}

int dd__feed_alpine(const dd__vuln_sink *sink,
                    const char *where,
                    const char *data,
                    size_t len,
                    int yaml)
{
    char why[sizeof(((dd_error *)0)->message)] = "";
    json_t *r = NULL;
    dd_error e;
    if (yaml) {
        r = load_yaml(data, len, why, sizeof why);
    } else if (dd__json_parse(&r, data, len, 0, "JSON", &e)) {
        snprintf(why, sizeof why, "%s", e.message);
    }
    const char *dv = json_string_value(json_object_get(r, "distroversion"));
    const char *repo = json_string_value(json_object_get(r, "reponame"));
    json_t *pkgs = json_object_get(r, "packages");
    char name[256], ns[64];
    snprintf(name, sizeof name, "alpine-secdb:%s/%s", dv ? dv : "?",
             repo ? repo : "?");
    int rc = sink->feed_begin(sink->ctx, name,
                              yaml ? "alpine-secdb-yaml" : "alpine-secdb-json",
                              where);
    if (rc) {
        json_decref(r);
        return rc;
    }
    if (dv && (!pkgs || json_is_null(pkgs) ||
               (json_is_string(pkgs) && !*json_string_value(pkgs)))) {
        json_decref(r);
        return sink->feed_end(sink->ctx); /* a release with no entries */
    }
    if (!dv || !json_is_array(pkgs)) {
        dd__sink_malformed(sink, "not an Alpine secdb document%s%s",
                           why[0] ? ": " : "", why);
        json_decref(r);
        return sink->feed_end(sink->ctx);
    }
    snprintf(ns, sizeof ns, "alpine:%s", dv[0] == 'v' ? dv + 1 : dv);
    size_t i;
    json_t *p;
    json_array_foreach(pkgs, i, p)
    {
        json_t *pk = json_object_get(p, "pkg");
        const char *pname = json_string_value(json_object_get(pk, "name"));
        json_t *fixes = json_object_get(pk, "secfixes");
        if (!pname || !*pname) {
            dd__sink_malformed(sink, "packages[%zu]: no pkg.name", i);
            continue;
        }
        if (!fixes || json_is_null(fixes)) {
            continue;
        }
        if (!json_is_object(fixes)) {
            dd__sink_malformed(sink, "%s: secfixes is not a mapping", pname);
            continue;
        }
        const char *ver;
        json_t *ids;
        json_object_foreach(fixes, ver, ids)
        {
            /* versions apk itself calls invalid ("2.7.16-33") are kept:
             * apk still orders them, token by token */
            if (!json_is_array(ids) || !*ver || strlen(ver) > 100) {
                dd__sink_malformed(sink,
                                   "%s: secfixes '%.60s' is not a version "
                                   "with a list of ids",
                                   pname, ver);
                continue;
            }
            size_t k;
            json_t *idv;
            json_array_foreach(ids, k, idv)
            {
                const char *s = json_string_value(idv);
                size_t n = s ? strcspn(s, " \t") : 0;
                if (!s || !id_like(s, n) || n > 100) {
                    dd__sink_malformed(sink,
                                       "%s %s: '%.60s' is not an advisory "
                                       "id",
                                       pname, ver, s ? s : "(not a string)");
                    continue;
                }
                char id[128];
                snprintf(id, sizeof id, "%.*s", (int)n, s);
                dd__advisory v = {id,   NULL, NULL, NULL, -1,
                                  NULL, NULL, NULL, 0};
                int not_aff = !strcmp(ver, "0");
                dd__affected a = {ns,
                                  pname,
                                  "apk",
                                  not_aff ? "not-affected" : "fixed",
                                  not_aff ? NULL : ver,
                                  NULL,
                                  NULL};
                if ((rc = sink->advisory(sink->ctx, &v)) ||
                    (rc = sink->affected(sink->ctx, &a))) {
                    json_decref(r);
                    return rc;
                }
            }
        }
    }
    json_decref(r);
    return sink->feed_end(sink->ctx);
}
