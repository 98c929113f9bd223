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
#include <yaml.h>

#include "vuln_int.h"

#define YAML_MAX_DEPTH 64

/* Converting the document: aliases are followed, so a small document can
 * name a huge tree (an "alias bomb": ten aliases of ten aliases of ...).
 * Every converted node costs one from `budget` (twice the document's own
 * nodes: a document without aliases converts each node once). */
typedef struct dd__yaml_conv {
    yaml_document_t *doc;
    size_t budget;
    int too_deep, too_big;
} dd__yaml_conv;

/* libyaml document node -> jansson value (strings only as scalars);
 * NULL with too_deep/too_big set when a limit is hit */
static json_t *to_json(dd__yaml_conv *cv, yaml_node_t *n, int depth)
{
    if (!n) {
        return NULL;
    }
    if (depth > YAML_MAX_DEPTH) {
        cv->too_deep = 1;
        return NULL;
    }
    if (!cv->budget) {
        cv->too_big = 1;
        return NULL;
    }
    cv->budget--;
    yaml_document_t *doc = cv->doc;
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return json_stringn_nocheck((const char *)n->data.scalar.value,
                                    n->data.scalar.length);
    case YAML_SEQUENCE_NODE: {
        json_t *a = json_array();
        for (yaml_node_item_t *it = n->data.sequence.items.start;
             a && it < n->data.sequence.items.top && !cv->too_deep &&
             !cv->too_big;
             it++) {
            json_t *c =
                to_json(cv, yaml_document_get_node(doc, *it), depth + 1);
            if (c) {
                json_array_append_new(a, c);
            }
        }
        return a;
    }
    case YAML_MAPPING_NODE: {
        json_t *o = json_object();
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
             o && p < n->data.mapping.pairs.top && !cv->too_deep &&
             !cv->too_big;
             p++) {
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            if (!k || k->type != YAML_SCALAR_NODE) {
                continue;
            }
            json_t *c =
                to_json(cv, yaml_document_get_node(doc, p->value), depth + 1);
            char *key = dd__strndup((const char *)k->data.scalar.value,
                                    k->data.scalar.length);
            if (c && key) {
                json_object_set_new_nocheck(o, key, c);
            } else {
                json_decref(c);
            }
            dd__free(key);
        }
        return o;
    }
    default:
        return NULL;
    }
}

static json_t *load_yaml(const char *data, size_t len, char *why, size_t n)
{
    yaml_parser_t p;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&p)) {
        snprintf(why, n, "out of memory");
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    json_t *r = NULL;
    if (yaml_parser_load(&p, &doc)) {
        size_t nodes = (size_t)(doc.nodes.top - doc.nodes.start);
        dd__yaml_conv cv = {&doc, 2 * nodes + 1024, 0, 0};
        r = to_json(&cv, yaml_document_get_root_node(&doc), 0);
        if (cv.too_deep || cv.too_big) {
            json_decref(r);
            r = NULL;
            if (cv.too_deep) {
                snprintf(why, n, "YAML nested deeper than %d levels",
                         YAML_MAX_DEPTH);
            } else {
                snprintf(why, n,
                         "YAML aliases expand past %zu nodes (an alias "
                         "bomb?)",
                         2 * nodes + 1024);
            }
        }
        yaml_document_delete(&doc);
    } else {
        snprintf(why, n, "YAML error at line %zu: %s", p.problem_mark.line + 1,
                 p.problem ? p.problem : "?");
    }
    yaml_parser_delete(&p);
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
