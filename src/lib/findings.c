/*
 * lib/findings.c - the finding list: one record type for every kind.
 */
#include <stdio.h>
#include <string.h>

#include "findings_int.h"
#include "drydock/vulndb.h"

dd_findings *dd__findings_new(void)
{
    dd_findings *l = dd__calloc(1, sizeof *l);
    if (l) {
        dd__vec_init(&l->items, sizeof(dd_finding));
    }
    return l;
}

static void vuln_free(dd_vuln_info *v)
{
    if (!v) {
        return;
    }
    dd__free((char *)v->package);
    dd__free((char *)v->source_package);
    dd__free((char *)v->installed_version);
    dd__free((char *)v->fixed_version);
    dd__free((char *)v->pkg_type);
    dd__free((char *)v->namespace_);
    dd__free((char *)v->references);
    dd__free((char *)v->cvss_vector);
    dd__free((char *)v->purl);
    dd__free(v);
}

static void finding_clear(dd_finding *f)
{
    vuln_free((dd_vuln_info *)f->vuln);
    f->vuln = NULL;
    dd__free((char *)f->rule_id);
    dd__free((char *)f->title);
    dd__free((char *)f->path);
    dd__free((char *)f->layer_digest);
    dd__free((char *)f->evidence);
}

int dd__findings_add(dd_findings *list,
                     const dd_finding_spec *spec,
                     const char *fmt,
                     ...)
{
    char title[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(title, sizeof title, fmt, ap);
    va_end(ap);
    dd_finding *f = dd__vec_push(&list->items);
    if (!f) {
        return DD_ENOMEM;
    }
    f->kind = spec->kind;
    f->severity = spec->severity;
    f->layer = spec->layer;
    f->history = spec->history;
    f->has_offset = spec->has_offset;
    f->offset = spec->offset;
    f->deleted_in = -1;
    f->vuln = NULL;
    f->rule_id = dd__strdup(spec->rule_id);
    f->title = dd__printable(title, sizeof title);
    f->path = spec->path ? dd__printable(spec->path, 4096) : NULL;
    f->layer_digest = dd__strdup(spec->layer_digest);
    f->evidence = spec->evidence ? dd__printable(spec->evidence, 256) : NULL;
    if (!f->rule_id || !f->title || (spec->path && !f->path) ||
        (spec->layer_digest && !f->layer_digest) ||
        (spec->evidence && !f->evidence)) {
        finding_clear(f);
        list->items.len--;
        return DD_ENOMEM;
    }
    return 0;
}

int dd__findings_move(dd_findings *to, dd_findings *from)
{
    for (size_t i = 0; i < from->items.len; i++) {
        dd_finding *slot = dd__vec_push(&to->items);
        if (!slot) {
            /* keep the rest in `from` so nothing leaks */
            memmove(from->items.items, DD_VEC_AT(&from->items, dd_finding, i),
                    (from->items.len - i) * sizeof(dd_finding));
            from->items.len -= i;
            return DD_ENOMEM;
        }
        *slot = *DD_VEC_AT(&from->items, dd_finding, i);
    }
    from->items.len = 0;
    return 0;
}

dd_finding *dd__findings_at(dd_findings *list, size_t i)
{
    return i < list->items.len ? DD_VEC_AT(&list->items, dd_finding, i) : NULL;
}

size_t dd_findings_count(const dd_findings *list)
{
    return list ? list->items.len : 0;
}

const dd_finding *dd_findings_get(const dd_findings *list, size_t i)
{
    if (!list || i >= list->items.len) {
        return NULL;
    }
    return DD_VEC_AT(&list->items, dd_finding, i);
}

dd_severity dd_findings_max_severity(const dd_findings *list)
{
    dd_severity m = DD_SEV_UNKNOWN;
    for (size_t i = 0; i < dd_findings_count(list); i++) {
        dd_severity s = dd_findings_get(list, i)->severity;
        if (s > m) {
            m = s;
        }
    }
    return m;
}

void dd_findings_free(dd_findings *list)
{
    if (!list) {
        return;
    }
    for (size_t i = 0; i < list->items.len; i++) {
        finding_clear(DD_VEC_AT(&list->items, dd_finding, i));
    }
    dd__vec_free(&list->items);
    dd__free(list);
}

const char *dd_severity_name(dd_severity s)
{
    static const char *const names[] = {"UNKNOWN", "INFO", "LOW",
                                        "MEDIUM",  "HIGH", "CRITICAL"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "UNKNOWN";
}

const char *dd_kind_name(dd_finding_kind k)
{
    static const char *const names[] = {
        "integrity", "archive", "vuln", "secret", "malware", "config", "trust"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "unknown";
}

#define DUP(field)                       \
    do {                                 \
        c->field = dd__strdup(v->field); \
        if (v->field && !c->field) {     \
            ok = 0;                      \
        }                                \
    } while (0)

int dd__findings_set_vuln(dd_findings *list, const dd_vuln_info *v)
{
    if (!list->items.len) {
        return DD_EINVALID;
    }
    dd_vuln_info *c = dd__calloc(1, sizeof *c);
    if (!c) {
        return DD_ENOMEM;
    }
    int ok = 1;
    c->status = v->status;
    c->cvss_score = v->cvss_score;
    DUP(package);
    DUP(source_package);
    DUP(installed_version);
    DUP(fixed_version);
    DUP(pkg_type);
    DUP(namespace_);
    DUP(references);
    DUP(cvss_vector);
    DUP(purl);
    dd_finding *f = DD_VEC_AT(&list->items, dd_finding, list->items.len - 1);
    f->vuln = c;
    if (!ok) {
        return DD_ENOMEM; /* freed with the finding */
    }
    return 0;
}
