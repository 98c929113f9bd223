/*
 * lib/vex/parse.c - OpenVEX 0.2.0, CycloneDX 1.4-1.6 VEX and CSAF 2.0 VEX
 * documents read into dd__vex statements (vex_int.h, docs/vex.md).
 */
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vex_int.h"

/* JSON paths in messages are cut to their buffers on purpose */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

#define MAX_TREE_DEPTH 32 /* CSAF branches, CycloneDX components */

typedef struct pctx {
    dd__vex *v;
    const char *name;
    const char *format;
    dd_error *err;
} pctx;

static int failf(pctx *p, int code, const char *fmt, ...) DD_PRINTF(3, 4);
static int failf(pctx *p, int code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return dd__error_set(p->err, code, "%s: %s", p->name, msg);
}

static int oom(pctx *p)
{
    return dd__error_set(p->err, DD_ENOMEM, "%s: out of memory", p->name);
}

/* A string member: *out NULL when absent; DD_ECORRUPT when present but
 * not a string, too long or holding control characters. */
static int get_str(
    pctx *p, json_t *o, const char *key, const char *where, const char **out)
{
    *out = NULL;
    json_t *j = json_is_object(o) ? json_object_get(o, key) : NULL;
    if (!j || json_is_null(j)) {
        return 0;
    }
    if (!json_is_string(j)) {
        return failf(p, DD_ECORRUPT, "%s.%s: not a string", where, key);
    }
    const char *s = json_string_value(j);
    size_t n = json_string_length(j);
    if (n > DD_VEX_MAX_ID) {
        return failf(p, DD_ELIMIT, "%s.%s: %zu bytes, over the %u allowed",
                     where, key, n, DD_VEX_MAX_ID);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            return failf(p, DD_ECORRUPT, "%s.%s: control character", where,
                         key);
        }
    }
    *out = s;
    return 0;
}

/* An array member: *out NULL when absent; DD_ECORRUPT when not an array. */
static int
get_arr(pctx *p, json_t *o, const char *key, const char *where, json_t **out)
{
    *out = NULL;
    json_t *j = json_is_object(o) ? json_object_get(o, key) : NULL;
    if (!j || json_is_null(j)) {
        return 0;
    }
    if (!json_is_array(j)) {
        return failf(p, DD_ECORRUPT, "%s.%s: not an array", where, key);
    }
    *out = j;
    return 0;
}

typedef struct stmt_in {
    const char *vuln, *aliases, *product, *version;
    const char *subs[DD_VEX_MAX_SUBS];
    size_t n_subs;
    dd__vex_status status;
    const char *justification, *timestamp;
} stmt_in;

static int add_stmt(pctx *p, const stmt_in *in)
{
    dd__vex *v = p->v;
    if (v->stmts.len >= DD_VEX_MAX_STATEMENTS) {
        return failf(p, DD_ELIMIT, "more than %u VEX statements",
                     DD_VEX_MAX_STATEMENTS);
    }
    dd__vex_stmt *s = dd__vec_push(&v->stmts);
    if (!s) {
        return oom(p);
    }
    memset(s, 0, sizeof *s);
    s->seq = v->stmts.len;
    s->status = in->status;
    s->vuln = dd__arena_strdup(&v->strings, in->vuln);
    s->aliases = dd__arena_strdup(&v->strings, in->aliases);
    s->product = dd__arena_strdup(&v->strings, in->product);
    s->version = dd__arena_strdup(&v->strings, in->version);
    s->justification = dd__arena_strdup(&v->strings, in->justification);
    s->timestamp = dd__arena_strdup(&v->strings, in->timestamp);
    s->file = dd__arena_strdup(&v->strings, p->name);
    s->format = p->format;
    if (in->n_subs) {
        const char **subs =
            dd__arena_alloc(&v->strings, in->n_subs * sizeof *subs);
        if (!subs) {
            return oom(p);
        }
        for (size_t i = 0; i < in->n_subs; i++) {
            if (!(subs[i] = dd__arena_strdup(&v->strings, in->subs[i]))) {
                return oom(p);
            }
        }
        s->subs = subs;
        s->n_subs = in->n_subs;
    }
    if (!s->vuln || !s->product || !s->file || (in->aliases && !s->aliases) ||
        (in->version && !s->version) ||
        (in->justification && !s->justification) ||
        (in->timestamp && !s->timestamp)) {
        return oom(p);
    }
    return 0;
}

/* aliases as "a,b,c" in buf (ids holding ',' are left out) */
static int alias_add(pctx *p, dd__buf *b, size_t *n, const char *id)
{
    if (!id || !*id || strchr(id, ',')) {
        return 0;
    }
    if (*n >= DD_VEX_MAX_ALIASES) {
        return failf(p, DD_ELIMIT, "more than %u aliases of one vulnerability",
                     DD_VEX_MAX_ALIASES);
    }
    (*n)++;
    if ((b->len && dd__buf_addstr(b, ",")) || dd__buf_addstr(b, id)) {
        return oom(p);
    }
    return 0;
}

/* ------------------------------------------------------------ OpenVEX */

typedef struct status_name {
    const char *name;
    dd__vex_status st;
} status_name;

/* *out = the status `s` names in map[n]; -1 when none does */
static int
status_of(const status_name *map, size_t n, const char *s, dd__vex_status *out)
{
    for (size_t i = 0; s && i < n; i++) {
        if (!strcmp(s, map[i].name)) {
            *out = map[i].st;
            return 0;
        }
    }
    return -1;
}

static int openvex_status(const char *s, dd__vex_status *out)
{
    static const status_name map[] = {
        {"not_affected", DD__VEX_NOT_AFFECTED},
        {"fixed", DD__VEX_FIXED},
        {"affected", DD__VEX_AFFECTED},
        {"under_investigation", DD__VEX_UNDER_INVESTIGATION}};
    return status_of(map, sizeof map / sizeof map[0], s, out);
}

/* a product or subcomponent: {"@id": ..., "identifiers": {"purl": ...}}
 * or a plain string (OpenVEX 0.0.x) */
static int
openvex_ident(pctx *p, json_t *j, const char *where, const char **out)
{
    *out = NULL;
    if (json_is_string(j)) {
        if (json_string_length(j) > DD_VEX_MAX_ID ||
            strlen(json_string_value(j)) != json_string_length(j)) {
            return failf(p, DD_ECORRUPT, "%s: too long or holds NUL", where);
        }
        *out = json_string_value(j);
        return 0;
    }
    if (!json_is_object(j)) {
        return failf(p, DD_ECORRUPT, "%s: not an object", where);
    }
    const char *id = NULL, *purl = NULL;
    int rc = get_str(p, j, "@id", where, &id);
    json_t *ids = json_object_get(j, "identifiers");
    if (!rc && ids) {
        char w2[160];
        snprintf(w2, sizeof w2, "%s.identifiers", where);
        rc = get_str(p, ids, "purl", w2, &purl);
    }
    if (rc) {
        return rc;
    }
    *out = purl ? purl : id;
    if (!*out) {
        return failf(p, DD_ECORRUPT, "%s: no @id", where);
    }
    return 0;
}

static int parse_openvex(pctx *p, json_t *doc)
{
    p->format = "OpenVEX";
    const char *doc_ts = NULL;
    json_t *stmts = NULL;
    int rc = get_str(p, doc, "timestamp", "$", &doc_ts);
    if (!rc) {
        rc = get_arr(p, doc, "statements", "$", &stmts);
    }
    if (!rc && !stmts) {
        rc = failf(p, DD_ECORRUPT, "$.statements: missing");
    }
    size_t i;
    json_t *st;
    json_array_foreach(stmts, i, st)
    {
        if (rc) {
            break;
        }
        char w[96];
        snprintf(w, sizeof w, "$.statements[%zu]", i);
        if (!json_is_object(st)) {
            return failf(p, DD_ECORRUPT, "%s: not an object", w);
        }
        stmt_in in;
        memset(&in, 0, sizeof in);
        const char *status = NULL, *impact = NULL;
        json_t *vj = json_object_get(st, "vulnerability");
        dd__buf al;
        dd__buf_init(&al, 1u << 20);
        size_t nal = 0;
        char wv[128];
        snprintf(wv, sizeof wv, "%s.vulnerability", w);
        if (json_is_string(vj)) {
            rc = get_str(p, st, "vulnerability", w, &in.vuln);
        } else if (json_is_object(vj)) {
            const char *name = NULL, *id = NULL;
            json_t *aliases = NULL;
            rc = get_str(p, vj, "name", wv, &name);
            rc = rc ? rc : get_str(p, vj, "@id", wv, &id);
            rc = rc ? rc : get_arr(p, vj, "aliases", wv, &aliases);
            in.vuln = name ? name : id;
            if (!rc && name && id) {
                rc = alias_add(p, &al, &nal, id);
            }
            size_t k;
            json_t *a;
            json_array_foreach(aliases, k, a)
            {
                if (rc) {
                    break;
                }
                if (!json_is_string(a)) {
                    rc = failf(p, DD_ECORRUPT, "%s.aliases[%zu]: not a string",
                               wv, k);
                } else if (json_string_length(a) <= DD_VEX_MAX_ID) {
                    rc = alias_add(p, &al, &nal, json_string_value(a));
                }
            }
        } else {
            rc = failf(p, DD_ECORRUPT, "%s: missing", wv);
        }
        if (!rc && (!in.vuln || !*in.vuln)) {
            rc = failf(p, DD_ECORRUPT, "%s: no name", wv);
        }
        rc = rc ? rc : get_str(p, st, "status", w, &status);
        if (!rc && openvex_status(status, &in.status)) {
            rc = failf(p, DD_ECORRUPT,
                       "%s.status: '%.40s' is not not_affected, affected, "
                       "fixed or under_investigation",
                       w, status ? status : "(missing)");
        }
        rc = rc ? rc : get_str(p, st, "justification", w, &in.justification);
        rc = rc ? rc : get_str(p, st, "impact_statement", w, &impact);
        rc = rc ? rc : get_str(p, st, "timestamp", w, &in.timestamp);
        if (!in.justification) {
            in.justification = impact;
        }
        if (!in.timestamp) {
            in.timestamp = doc_ts;
        }
        in.aliases = al.len ? al.ptr : NULL;
        json_t *prods = NULL;
        rc = rc ? rc : get_arr(p, st, "products", w, &prods);
        if (!rc && !json_array_size(prods)) {
            rc = failf(p, DD_ECORRUPT, "%s.products: missing or empty", w);
        }
        size_t k;
        json_t *pj;
        json_array_foreach(prods, k, pj)
        {
            if (rc) {
                break;
            }
            char wp[128];
            snprintf(wp, sizeof wp, "%s.products[%zu]", w, k);
            rc = openvex_ident(p, pj, wp, &in.product);
            json_t *subs = NULL;
            rc = rc ? rc : get_arr(p, pj, "subcomponents", wp, &subs);
            if (!rc && json_array_size(subs) > DD_VEX_MAX_SUBS) {
                rc = failf(p, DD_ELIMIT, "%s.subcomponents: over %u", wp,
                           DD_VEX_MAX_SUBS);
            }
            in.n_subs = 0;
            size_t q;
            json_t *sj;
            json_array_foreach(subs, q, sj)
            {
                if (rc) {
                    break;
                }
                char ws[160];
                snprintf(ws, sizeof ws, "%s.subcomponents[%zu]", wp, q);
                rc = openvex_ident(p, sj, ws, &in.subs[in.n_subs]);
                in.n_subs += !rc;
            }
            rc = rc ? rc : add_stmt(p, &in);
        }
        dd__buf_free(&al);
    }
    return rc;
}

/* ---------------------------------------------------------- CycloneDX */

/* bom-ref -> purl of metadata.component and components[] (nested) */
static int cdx_components(
    pctx *p, json_t *list, const char *where, json_t *refs, int depth)
{
    if (depth > MAX_TREE_DEPTH) {
        return failf(p, DD_ELIMIT, "%s: components nested over %d deep", where,
                     MAX_TREE_DEPTH);
    }
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c)
    {
        char w[256];
        snprintf(w, sizeof w, "%s[%zu]", where, i);
        if (!json_is_object(c)) {
            return failf(p, DD_ECORRUPT, "%s: not an object", w);
        }
        const char *ref = NULL, *purl = NULL;
        json_t *sub = NULL;
        int rc = get_str(p, c, "bom-ref", w, &ref);
        rc = rc ? rc : get_str(p, c, "purl", w, &purl);
        rc = rc ? rc : get_arr(p, c, "components", w, &sub);
        if (rc) {
            return rc;
        }
        if (ref && purl && json_object_set_new(refs, ref, json_string(purl))) {
            return oom(p);
        }
        if (sub) {
            char ws[256];
            snprintf(ws, sizeof ws, "%.200s.components", w);
            if ((rc = cdx_components(p, sub, ws, refs, depth + 1))) {
                return rc;
            }
        }
    }
    return 0;
}

static int cdx_state(const char *s, dd__vex_status *out)
{
    static const status_name map[] = {
        {"not_affected", DD__VEX_NOT_AFFECTED},
        {"false_positive", DD__VEX_NOT_AFFECTED},
        {"resolved", DD__VEX_FIXED},
        {"resolved_with_pedigree", DD__VEX_FIXED},
        {"exploitable", DD__VEX_AFFECTED},
        {"in_triage", DD__VEX_UNDER_INVESTIGATION}};
    return status_of(map, sizeof map / sizeof map[0], s, out);
}

static int parse_cdx_vuln(
    pctx *p, json_t *vj, const char *w, json_t *refs, const char *doc_ts)
{
    if (!json_is_object(vj)) {
        return failf(p, DD_ECORRUPT, "%s: not an object", w);
    }
    stmt_in in;
    memset(&in, 0, sizeof in);
    json_t *an = json_object_get(vj, "analysis");
    if (!an) {
        return 0; /* a vulnerability without analysis states nothing */
    }
    if (!json_is_object(an)) {
        return failf(p, DD_ECORRUPT, "%s.analysis: not an object", w);
    }
    char wa[128];
    snprintf(wa, sizeof wa, "%s.analysis", w);
    const char *state = NULL, *updated = NULL;
    json_t *affects = NULL, *xrefs = NULL;
    int rc = get_str(p, vj, "id", w, &in.vuln);
    if (!rc && (!in.vuln || !*in.vuln)) {
        rc = failf(p, DD_ECORRUPT, "%s.id: missing", w);
    }
    rc = rc ? rc : get_str(p, an, "state", wa, &state);
    if (!rc && cdx_state(state, &in.status)) {
        rc = failf(p, DD_ECORRUPT,
                   "%s.state: '%.40s' is not a CycloneDX analysis state", wa,
                   state ? state : "(missing)");
    }
    rc = rc ? rc : get_str(p, an, "justification", wa, &in.justification);
    rc = rc ? rc : get_str(p, an, "lastUpdated", wa, &in.timestamp);
    rc = rc ? rc : get_str(p, vj, "updated", w, &updated);
    rc = rc ? rc : get_arr(p, vj, "affects", w, &affects);
    rc = rc ? rc : get_arr(p, vj, "references", w, &xrefs);
    if (rc) {
        return rc;
    }
    if (!in.justification && !strcmp(state, "false_positive")) {
        in.justification = "false_positive";
    }
    if (!in.timestamp) {
        in.timestamp = updated ? updated : doc_ts;
    }
    dd__buf al;
    dd__buf_init(&al, 1u << 20);
    size_t nal = 0, k;
    json_t *r;
    json_array_foreach(xrefs, k, r)
    {
        char wr[160];
        snprintf(wr, sizeof wr, "%s.references[%zu]", w, k);
        const char *id = NULL;
        if (!rc && !json_is_object(r)) {
            rc = failf(p, DD_ECORRUPT, "%s: not an object", wr);
        }
        rc = rc ? rc : get_str(p, r, "id", wr, &id);
        rc = rc ? rc : alias_add(p, &al, &nal, id);
    }
    in.aliases = al.len ? al.ptr : NULL;
    json_t *a;
    json_array_foreach(affects, k, a)
    {
        if (rc) {
            break;
        }
        char wr[160];
        snprintf(wr, sizeof wr, "%s.affects[%zu]", w, k);
        const char *ref = NULL;
        json_t *versions = NULL;
        if (!json_is_object(a)) {
            rc = failf(p, DD_ECORRUPT, "%s: not an object", wr);
            break;
        }
        rc = get_str(p, a, "ref", wr, &ref);
        rc = rc ? rc : get_arr(p, a, "versions", wr, &versions);
        if (!rc && !ref) {
            rc = failf(p, DD_ECORRUPT, "%s.ref: missing", wr);
        }
        if (rc) {
            break;
        }
        json_t *pj = json_object_get(refs, ref);
        in.product = pj                         ? json_string_value(pj)
                     : !strncmp(ref, "pkg:", 4) ? ref
                                                : NULL;
        if (!in.product) {
            continue; /* names no component with a purl: states nothing */
        }
        in.version = NULL;
        if (!versions) {
            rc = add_stmt(p, &in);
            continue;
        }
        size_t q;
        json_t *vv;
        json_array_foreach(versions, q, vv)
        {
            char wv[200];
            snprintf(wv, sizeof wv, "%s.versions[%zu]", wr, q);
            if (!json_is_object(vv)) {
                rc = failf(p, DD_ECORRUPT, "%s: not an object", wv);
                break;
            }
            const char *ver = NULL, *vst = NULL;
            rc = get_str(p, vv, "version", wv, &ver);
            rc = rc ? rc : get_str(p, vv, "status", wv, &vst);
            if (rc) {
                break;
            }
            /* ranges (vers:) are not evaluated; a version marked
             * "affected" under a not_affected analysis states nothing */
            if (!ver || (vst && !strcmp(vst, "affected") &&
                         dd__vex_suppresses(in.status))) {
                continue;
            }
            in.version = ver;
            if ((rc = add_stmt(p, &in))) {
                break;
            }
        }
    }
    dd__buf_free(&al);
    return rc;
}

static int parse_cdx(pctx *p, json_t *doc)
{
    p->format = "CycloneDX";
    json_t *vulns = NULL, *comps = NULL;
    const char *doc_ts = NULL;
    json_t *meta = json_object_get(doc, "metadata");
    int rc = get_arr(p, doc, "vulnerabilities", "$", &vulns);
    if (!rc && !vulns) {
        rc = failf(p, DD_ECORRUPT, "$.vulnerabilities: missing: not a VEX");
    }
    rc = rc ? rc : get_arr(p, doc, "components", "$", &comps);
    rc = rc ? rc : get_str(p, meta, "timestamp", "$.metadata", &doc_ts);
    json_t *refs = json_object();
    if (!refs) {
        return oom(p);
    }
    json_t *mc =
        json_is_object(meta) ? json_object_get(meta, "component") : NULL;
    if (!rc && mc) {
        json_t *one = json_pack("[O]", mc);
        rc = one ? cdx_components(p, one, "$.metadata.component", refs, 0)
                 : oom(p);
        json_decref(one);
    }
    if (!rc && comps) {
        rc = cdx_components(p, comps, "$.components", refs, 0);
    }
    size_t i;
    json_t *vj;
    json_array_foreach(vulns, i, vj)
    {
        if (rc) {
            break;
        }
        char w[64];
        snprintf(w, sizeof w, "$.vulnerabilities[%zu]", i);
        rc = parse_cdx_vuln(p, vj, w, refs, doc_ts);
    }
    json_decref(refs);
    return rc;
}

/* --------------------------------------------------------------- CSAF */

/* a product {product_id, product_identification_helper{purl, cpe}} into
 * ids: product_id -> purl or cpe ("" when it has neither) */
static int csaf_product(pctx *p, json_t *pr, const char *where, json_t *ids)
{
    if (!json_is_object(pr)) {
        return failf(p, DD_ECORRUPT, "%s: not an object", where);
    }
    const char *pid = NULL, *purl = NULL, *cpe = NULL;
    int rc = get_str(p, pr, "product_id", where, &pid);
    json_t *h = json_object_get(pr, "product_identification_helper");
    char wh[256];
    snprintf(wh, sizeof wh, "%.200s.product_identification_helper", where);
    rc = rc ? rc : get_str(p, h, "purl", wh, &purl);
    rc = rc ? rc : get_str(p, h, "cpe", wh, &cpe);
    if (!rc && !pid) {
        rc = failf(p, DD_ECORRUPT, "%s.product_id: missing", where);
    }
    if (rc) {
        return rc;
    }
    if (json_object_size(ids) >= DD_VEX_MAX_STATEMENTS) {
        return failf(p, DD_ELIMIT, "%s: more than %u products", where,
                     DD_VEX_MAX_STATEMENTS);
    }
    const char *val = purl ? purl : cpe ? cpe : "";
    return json_object_set_new(ids, pid, json_string(val)) ? oom(p) : 0;
}

static int
csaf_branches(pctx *p, json_t *list, const char *where, json_t *ids, int depth)
{
    if (depth > MAX_TREE_DEPTH) {
        return failf(p, DD_ELIMIT, "%s: branches nested over %d deep", where,
                     MAX_TREE_DEPTH);
    }
    size_t i;
    json_t *b;
    json_array_foreach(list, i, b)
    {
        char w[256];
        snprintf(w, sizeof w, "%.200s[%zu]", where, i);
        if (!json_is_object(b)) {
            return failf(p, DD_ECORRUPT, "%s: not an object", w);
        }
        json_t *pr = json_object_get(b, "product"), *sub = NULL;
        int rc = get_arr(p, b, "branches", w, &sub);
        if (!rc && pr) {
            char wp[256];
            snprintf(wp, sizeof wp, "%.200s.product", w);
            rc = csaf_product(p, pr, wp, ids);
        }
        if (!rc && sub) {
            char ws[256];
            snprintf(ws, sizeof ws, "%.200s.branches", w);
            rc = csaf_branches(p, sub, ws, ids, depth + 1);
        }
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* product_id -> [relates_to's id, product_reference's id] */
static int csaf_relationships(pctx *p, json_t *list, json_t *rels)
{
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r)
    {
        char w[96];
        snprintf(w, sizeof w, "$.product_tree.relationships[%zu]", i);
        if (!json_is_object(r)) {
            return failf(p, DD_ECORRUPT, "%s: not an object", w);
        }
        const char *pref = NULL, *to = NULL, *pid = NULL;
        char wf[128];
        snprintf(wf, sizeof wf, "%s.full_product_name", w);
        int rc = get_str(p, r, "product_reference", w, &pref);
        rc = rc ? rc : get_str(p, r, "relates_to_product_reference", w, &to);
        rc = rc ? rc
                : get_str(p, json_object_get(r, "full_product_name"),
                          "product_id", wf, &pid);
        if (!rc && (!pref || !to || !pid)) {
            rc = failf(p, DD_ECORRUPT,
                       "%s: needs product_reference, "
                       "relates_to_product_reference and "
                       "full_product_name.product_id",
                       w);
        }
        if (rc) {
            return rc;
        }
        if (json_object_set_new(rels, pid, json_pack("[ss]", to, pref))) {
            return oom(p);
        }
    }
    return 0;
}

/* product_id -> label / details from flags[] or threats[] */
static int csaf_notes(pctx *p,
                      json_t *vj,
                      const char *key,
                      const char *field,
                      const char *w,
                      json_t *out)
{
    json_t *list = NULL;
    int rc = get_arr(p, vj, key, w, &list);
    size_t i;
    json_t *f;
    json_array_foreach(list, i, f)
    {
        if (rc) {
            break;
        }
        char wf[128];
        snprintf(wf, sizeof wf, "%s.%s[%zu]", w, key, i);
        const char *text = NULL, *cat = NULL;
        json_t *pids = NULL;
        rc = get_str(p, f, field, wf, &text);
        rc = rc ? rc : get_str(p, f, "category", wf, &cat);
        rc = rc ? rc : get_arr(p, f, "product_ids", wf, &pids);
        if (rc || !text || (cat && strcmp(cat, "impact"))) {
            continue;
        }
        size_t k;
        json_t *pid;
        json_array_foreach(pids, k, pid)
        {
            if (json_is_string(pid) &&
                !json_object_get(out, json_string_value(pid)) &&
                json_object_set_new(out, json_string_value(pid),
                                    json_string(text))) {
                return oom(p);
            }
        }
    }
    return rc;
}

static int csaf_resolve(json_t *ids, const char *pid, const char **out)
{
    json_t *j = json_object_get(ids, pid);
    *out = j ? json_string_value(j) : NULL;
    return j ? 0 : -1;
}

static int parse_csaf_vuln(pctx *p,
                           json_t *vj,
                           const char *w,
                           json_t *ids,
                           json_t *rels,
                           const char *doc_ts)
{
    static const struct {
        const char *key;
        dd__vex_status st;
    } lists[] = {{"known_not_affected", DD__VEX_NOT_AFFECTED},
                 {"fixed", DD__VEX_FIXED},
                 {"first_fixed", DD__VEX_FIXED},
                 {"known_affected", DD__VEX_AFFECTED},
                 {"first_affected", DD__VEX_AFFECTED},
                 {"last_affected", DD__VEX_AFFECTED},
                 {"under_investigation", DD__VEX_UNDER_INVESTIGATION}};
    if (!json_is_object(vj)) {
        return failf(p, DD_ECORRUPT, "%s: not an object", w);
    }
    stmt_in in;
    memset(&in, 0, sizeof in);
    const char *cve = NULL;
    json_t *xids = NULL;
    int rc = get_str(p, vj, "cve", w, &cve);
    rc = rc ? rc : get_arr(p, vj, "ids", w, &xids);
    dd__buf al;
    dd__buf_init(&al, 1u << 20);
    size_t nal = 0, i;
    json_t *x;
    json_array_foreach(xids, i, x)
    {
        char wi[128];
        snprintf(wi, sizeof wi, "%s.ids[%zu]", w, i);
        const char *t = NULL;
        rc = rc ? rc : get_str(p, x, "text", wi, &t);
        if (!rc && t && !cve && !in.vuln) {
            in.vuln = t;
        } else if (!rc) {
            rc = alias_add(p, &al, &nal, t);
        }
    }
    if (cve) {
        in.vuln = cve;
    }
    if (!rc && !in.vuln) {
        rc = failf(p, DD_ECORRUPT, "%s: neither cve nor ids", w);
    }
    in.aliases = al.len ? al.ptr : NULL;
    in.timestamp = doc_ts;
    json_t *just = json_object(), *impact = json_object();
    if (!just || !impact) {
        rc = rc ? rc : oom(p);
    }
    rc = rc ? rc : csaf_notes(p, vj, "flags", "label", w, just);
    rc = rc ? rc : csaf_notes(p, vj, "threats", "details", w, impact);
    json_t *ps = json_object_get(vj, "product_status");
    if (!rc && ps && !json_is_object(ps)) {
        rc = failf(p, DD_ECORRUPT, "%s.product_status: not an object", w);
    }
    char wp[128];
    snprintf(wp, sizeof wp, "%s.product_status", w);
    for (size_t l = 0; !rc && ps && l < sizeof lists / sizeof lists[0]; l++) {
        json_t *arr = NULL;
        rc = get_arr(p, ps, lists[l].key, wp, &arr);
        size_t k;
        json_t *pj;
        json_array_foreach(arr, k, pj)
        {
            if (rc) {
                break;
            }
            char wl[200];
            snprintf(wl, sizeof wl, "%s.%s[%zu]", wp, lists[l].key, k);
            if (!json_is_string(pj)) {
                rc = failf(p, DD_ECORRUPT, "%s: not a product_id", wl);
                break;
            }
            const char *pid = json_string_value(pj);
            json_t *rel = json_object_get(rels, pid);
            in.n_subs = 0;
            in.product = NULL;
            if (rel) {
                const char *to = json_string_value(json_array_get(rel, 0));
                const char *comp = json_string_value(json_array_get(rel, 1));
                const char *sub = NULL;
                if (csaf_resolve(ids, to, &in.product) ||
                    csaf_resolve(ids, comp, &sub)) {
                    rc = failf(p, DD_ECORRUPT,
                               "%s: relationship of '%.80s' names an "
                               "undefined product",
                               wl, pid);
                    break;
                }
                if (*sub) {
                    in.subs[in.n_subs++] = sub;
                }
            } else if (csaf_resolve(ids, pid, &in.product)) {
                rc = failf(p, DD_ECORRUPT,
                           "%s: product_id '%.80s' is not in the product_tree",
                           wl, pid);
                break;
            }
            if (!*in.product && !in.n_subs) {
                continue; /* no purl or cpe: nothing to match */
            }
            in.status = lists[l].st;
            json_t *jl = json_object_get(just, pid);
            json_t *ji = json_object_get(impact, pid);
            in.justification = jl   ? json_string_value(jl)
                               : ji ? json_string_value(ji)
                                    : NULL;
            rc = add_stmt(p, &in);
        }
    }
    json_decref(just);
    json_decref(impact);
    dd__buf_free(&al);
    return rc;
}

static int parse_csaf(pctx *p, json_t *doc)
{
    p->format = "CSAF";
    json_t *d = json_object_get(doc, "document");
    const char *cat = NULL, *ts = NULL;
    int rc = get_str(p, d, "category", "$.document", &cat);
    if (!rc && (!cat || (strcmp(cat, "csaf_vex") &&
                         strcmp(cat, "csaf_security_advisory")))) {
        return failf(p, DD_ECORRUPT,
                     "$.document.category: '%.40s', not csaf_vex",
                     cat ? cat : "(missing)");
    }
    json_t *tr = json_object_get(d, "tracking");
    rc =
        rc ? rc
           : get_str(p, tr, "current_release_date", "$.document.tracking", &ts);
    json_t *tree = json_object_get(doc, "product_tree");
    json_t *ids = json_object(), *rels = json_object();
    json_t *br = NULL, *fpn = NULL, *rl = NULL, *vulns = NULL;
    if (!ids || !rels) {
        rc = rc ? rc : oom(p);
    }
    rc = rc ? rc : get_arr(p, tree, "branches", "$.product_tree", &br);
    rc = rc ? rc
            : get_arr(p, tree, "full_product_names", "$.product_tree", &fpn);
    rc = rc ? rc : get_arr(p, tree, "relationships", "$.product_tree", &rl);
    rc = rc ? rc : get_arr(p, doc, "vulnerabilities", "$", &vulns);
    if (!rc && br) {
        rc = csaf_branches(p, br, "$.product_tree.branches", ids, 0);
    }
    size_t i;
    json_t *x;
    json_array_foreach(fpn, i, x)
    {
        char w[96];
        snprintf(w, sizeof w, "$.product_tree.full_product_names[%zu]", i);
        rc = rc ? rc : csaf_product(p, x, w, ids);
    }
    rc = rc ? rc : csaf_relationships(p, rl, rels);
    json_array_foreach(vulns, i, x)
    {
        char w[64];
        snprintf(w, sizeof w, "$.vulnerabilities[%zu]", i);
        rc = rc ? rc : parse_csaf_vuln(p, x, w, ids, rels, ts);
    }
    json_decref(ids);
    json_decref(rels);
    return rc;
}

/* ---------------------------------------------------------------- api */

void dd__vex_init(dd__vex *v)
{
    memset(v, 0, sizeof *v);
    dd__arena_init(&v->strings);
    dd__vec_init(&v->stmts, sizeof(dd__vex_stmt));
    dd__vec_init(&v->nodes, sizeof(dd__vex_node));
}

void dd__vex_free(dd__vex *v)
{
    if (v->index_ready) {
        dd__map_free(&v->index);
    }
    dd__vec_free(&v->nodes);
    dd__vec_free(&v->stmts);
    dd__arena_free(&v->strings);
}

/* one id of statement i into the index */
static int index_id(dd__vex *v, const char *id, size_t n, size_t i)
{
    char *key = n ? dd__arena_strndup(&v->strings, id, n) : NULL;
    dd__vex_node *node = key ? dd__vec_push(&v->nodes) : NULL;
    if (!node) {
        return n ? DD_ENOMEM : 0;
    }
    for (size_t k = 0; k < n; k++) {
        key[k] = (char)toupper((unsigned char)key[k]);
    }
    int64_t head = -1;
    if (!dd__map_get(&v->index, key, n, &head)) {
        head = -1;
    }
    node->stmt = i;
    node->next = head;
    return dd__map_put(&v->index, key, n, (int64_t)(v->nodes.len - 1));
}

static int index_from(dd__vex *v, size_t from)
{
    if (!v->index_ready) {
        if (dd__map_init(&v->index)) {
            return DD_ENOMEM;
        }
        v->index_ready = 1;
    }
    int rc = 0;
    for (size_t i = from; !rc && i < v->stmts.len; i++) {
        const dd__vex_stmt *s = DD_VEC_AT(&v->stmts, dd__vex_stmt, i);
        rc = index_id(v, s->vuln, strlen(s->vuln), i);
        for (const char *a = s->aliases; !rc && a && *a;) {
            size_t k = strcspn(a, ",");
            rc = index_id(v, a, k, i);
            a += k + (a[k] == ',');
        }
    }
    return rc;
}

int dd__vex_parse(
    dd__vex *v, const char *name, const char *text, size_t len, dd_error *err)
{
    pctx p = {v, name ? name : "VEX", "VEX", err};
    json_t *doc = NULL;
    int rc = dd__json_parse(&doc, text, len, DD_VEX_MAX_BYTES, p.name, err);
    if (rc) {
        return rc;
    }
    size_t before = v->stmts.len;
    const char *ctx = json_string_value(json_object_get(doc, "@context"));
    const char *bom = json_string_value(json_object_get(doc, "bomFormat"));
    if (!json_is_object(doc)) {
        rc = failf(&p, DD_ECORRUPT, "$: not a JSON object");
    } else if (ctx && !strncmp(ctx, "https://openvex.dev/ns", 22)) {
        rc = parse_openvex(&p, doc);
    } else if (bom && !strcmp(bom, "CycloneDX")) {
        rc = parse_cdx(&p, doc);
    } else if (json_is_object(json_object_get(doc, "document"))) {
        rc = parse_csaf(&p, doc);
    } else {
        rc = failf(&p, DD_ECORRUPT,
                   "$: not OpenVEX (@context), CycloneDX (bomFormat) or "
                   "CSAF (document)");
    }
    json_decref(doc);
    if (!rc && index_from(v, before)) {
        rc = oom(&p);
    }
    if (rc) {
        v->stmts.len = before; /* all of a document or none of it */
    } else {
        v->files++;
    }
    return rc;
}

int dd__vex_load(dd__vex *v, const char *path, dd_error *err)
{
    if (v->files >= DD_VEX_MAX_FILES) {
        return dd__error_set(err, DD_ELIMIT, "more than %u VEX documents",
                             DD_VEX_MAX_FILES);
    }
    char *text = NULL;
    size_t len = 0;
    int rc = dd__file_read(path, DD_VEX_MAX_BYTES + 1, &text, &len);
    if (rc) {
        return dd__error_set(
            err, rc == DD_ENOTFOUND ? DD_ENOTFOUND : rc, "VEX file %s: %s",
            path, rc == DD_ENOTFOUND ? "no such file" : dd_strerror(rc));
    }
    rc = dd__vex_parse(v, path, text, len, err);
    dd__free(text);
    return rc;
}
