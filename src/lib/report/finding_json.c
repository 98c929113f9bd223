/*
 * lib/report/finding_json.c - one finding as JSON, for every report.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "drydock/vulndb.h"
#include "../../util/util.h"

json_t *dd__json_text(const char *s)
{
    if (!s) {
        return json_null();
    }
    json_t *j = json_string(s);
    if (j) {
        return j;
    }
    /* not UTF-8: the reversible escape (drydock/text.h), never dropped */
    char *p = dd__text_escape_dup(s, strlen(s), DD_ESCAPE_LOSSLESS);
    j = p ? json_string(p) : NULL;
    dd__free(p);
    return j ? j : json_null();
}

int dd__json_set_bytes(json_t *o, const char *key, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (!s || dd_text_is_utf8(s, n)) {
        return 0;
    }
    size_t need = dd_text_base64(NULL, 0, s, n) + 1;
    char *b = dd__malloc(need);
    char *k = dd__asprintf("%s_bytes", key);
    int rc = -1;
    if (b && k) {
        dd_text_base64(b, need, s, n);
        rc = json_object_set_new(o, k, json_string(b));
    }
    dd__free(b);
    dd__free(k);
    return rc;
}

#define JS(x) dd__json_text(x)

json_t *dd__finding_json(const dd_finding *f, const dd_image_info *in)
{
    json_t *o = json_object();
    if (!o) {
        return NULL;
    }
    json_object_set_new(o, "kind", json_string(dd_kind_name(f->kind)));
    json_object_set_new(o, "id", JS(f->rule_id));
    json_object_set_new(o, "severity",
                        json_string(dd_severity_name(f->severity)));
    json_object_set_new(o, "title", JS(f->title));
    json_object_set_new(o, "path", JS(f->path));
    dd__json_set_bytes(o, "path", f->path);
    json_object_set_new(o, "layer",
                        f->layer >= 0 ? json_integer(f->layer) : json_null());
    json_object_set_new(o, "layer_digest", JS(f->layer_digest));
    const char *step =
        in && f->history >= 0 && (size_t)f->history < in->n_history
            ? in->history[f->history].created_by
            : NULL;
    /* a secret finding's history step may hold the secret itself: give
     * the step's index, not its text */
    int secret =
        f->kind == DD_KIND_SECRET || !strcmp(f->rule_id, "config.env-secret");
    json_object_set_new(o, "created_by", secret ? json_null() : JS(step));
    json_object_set_new(
        o, "history", f->history >= 0 ? json_integer(f->history) : json_null());
    json_object_set_new(o, "offset",
                        f->has_offset ? json_integer((json_int_t)f->offset)
                                      : json_null());
    json_object_set_new(o, "deleted_in_layer",
                        f->deleted_in >= 0 ? json_integer(f->deleted_in)
                                           : json_null());
    json_object_set_new(o, "evidence", JS(f->evidence));
    json_object_set_new(
        o, "line", f->line ? json_integer((json_int_t)f->line) : json_null());
    json_object_set_new(o, "category", JS(f->category));
    json_object_set_new(o, "engine", JS(f->engine));
    json_object_set_new(o, "sha256", JS(f->sha256));
    if (!f->vuln) {
        json_object_set_new(o, "vulnerability", json_null());
        return o;
    }
    const dd_vuln_info *v = f->vuln;
    json_t *x = json_object();
    json_object_set_new(x, "package", JS(v->package));
    json_object_set_new(x, "source_package", JS(v->source_package));
    json_object_set_new(x, "installed_version", JS(v->installed_version));
    json_object_set_new(x, "fixed_version", JS(v->fixed_version));
    json_object_set_new(x, "status",
                        json_string(dd_vuln_status_name(v->status)));
    json_object_set_new(x, "package_type", JS(v->pkg_type));
    json_object_set_new(x, "namespace", JS(v->namespace_));
    json_object_set_new(x, "purl", JS(v->purl));
    json_t *refs = json_array();
    for (const char *p = v->references; p && *p;) {
        size_t k = strcspn(p, ",");
        json_array_append_new(refs, json_stringn(p, k));
        p += k + (p[k] == ',');
    }
    json_object_set_new(x, "references", refs);
    json_object_set_new(x, "cvss_score",
                        v->cvss_score >= 0 ? json_real(v->cvss_score)
                                           : json_null());
    json_object_set_new(x, "cvss_vector", JS(v->cvss_vector));
    json_object_set_new(o, "vulnerability", x);
    return o;
}

json_t *
dd__findings_json(const dd_findings *fl, const dd_image_info *info, json_t *arr)
{
    for (size_t i = 0; arr && i < dd_findings_count(fl); i++) {
        json_t *o = dd__finding_json(dd_findings_get(fl, i), info);
        if (!o || json_array_append_new(arr, o)) {
            return NULL;
        }
    }
    return arr;
}

int dd__json_emit(json_t *doc, char **out, size_t *len)
{
    char *t =
        doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (!t) {
        return DD_ENOMEM;
    }
    size_t n = strlen(t);
    char *o = dd__malloc(n + 2);
    if (o) {
        memcpy(o, t, n);
        o[n] = '\n';
        o[n + 1] = '\0';
    }
    free(t); /* json_dumps() result: jansson's allocator */
    if (!o) {
        return DD_ENOMEM;
    }
    *out = o;
    if (len) {
        *len = n + 1;
    }
    return 0;
}
