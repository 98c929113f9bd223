/*
 * lib/findings.c - the finding list: one record type for every kind.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

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

/* a dd_vuln_info and all its strings are one allocation */
static void vuln_free(dd_vuln_info *v)
{
    dd__free(v);
}

/* a finding's strings (rule_id, title, path, layer_digest, evidence)
 * share one allocation that starts at rule_id */
static void finding_clear(dd_finding *f)
{
    vuln_free((dd_vuln_info *)f->vuln);
    f->vuln = NULL;
    dd__free((char *)f->rule_id);
}

int dd__findings_add(dd_findings *list,
                     const dd__finding_spec *spec,
                     const char *fmt,
                     ...)
{
    char title[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(title, sizeof title, fmt, ap);
    va_end(ap);
    return dd__findings_add_text(list, spec, title);
}

/* copy an optional string to *o (advancing it); NULL stays NULL */
static const char *copy_opt(char **o, const char *s)
{
    if (!s) {
        return NULL;
    }
    size_t n = strlen(s) + 1;
    char *d = *o;
    memcpy(d, s, n);
    *o += n;
    return d;
}

int dd__findings_add_text(dd_findings *list,
                          const dd__finding_spec *spec,
                          const char *title)
{
    size_t need = strlen(spec->rule_id) + 1 + dd__printable_bound(title, 1023) +
                  (spec->path ? strlen(spec->path) + 1 : 0) +
                  (spec->layer_digest ? strlen(spec->layer_digest) + 1 : 0) +
                  dd__printable_bound(spec->evidence, 256) +
                  (spec->category ? strlen(spec->category) + 1 : 0) +
                  (spec->engine ? strlen(spec->engine) + 1 : 0) +
                  (spec->sha256 ? strlen(spec->sha256) + 1 : 0);
    char *blk = dd__malloc(need);
    dd_finding *f = blk ? dd__vec_push(&list->items) : NULL;
    if (!f) {
        dd__free(blk);
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
    char *o = blk;
    size_t rl = strlen(spec->rule_id) + 1;
    memcpy(o, spec->rule_id, rl);
    f->rule_id = o;
    o += rl;
    f->title = o;
    o = dd__printable_into(o, title, 1023);
    /* the path as the image spells it (escaped by each output) */
    f->path = copy_opt(&o, spec->path);
    if (spec->layer_digest) {
        size_t dl = strlen(spec->layer_digest) + 1;
        memcpy(o, spec->layer_digest, dl);
        f->layer_digest = o;
        o += dl;
    } else {
        f->layer_digest = NULL;
    }
    f->evidence = spec->evidence ? o : NULL;
    if (spec->evidence) {
        o = dd__printable_into(o, spec->evidence, 256);
    }
    f->line = spec->line;
    f->category = copy_opt(&o, spec->category);
    f->engine = copy_opt(&o, spec->engine);
    f->sha256 = copy_opt(&o, spec->sha256);
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

int dd__findings_set_path(dd_findings *list, size_t i, const char *path)
{
    dd_finding *f = dd__findings_at(list, i);
    if (!f) {
        return DD_EINVALID;
    }
    const char *src[8] = {f->rule_id,  f->title,    path,      f->layer_digest,
                          f->evidence, f->category, f->engine, f->sha256};
    const char **dst[8] = {&f->rule_id,      &f->title,    &f->path,
                           &f->layer_digest, &f->evidence, &f->category,
                           &f->engine,       &f->sha256};
    size_t need = 0;
    for (int k = 0; k < 8; k++) {
        need += src[k] ? strlen(src[k]) + 1 : 0;
    }
    char *blk = dd__malloc(need);
    if (!blk) {
        return DD_ENOMEM;
    }
    char *old = (char *)f->rule_id, *o = blk;
    for (int k = 0; k < 8; k++) {
        *dst[k] = copy_opt(&o, src[k]);
    }
    dd__free(old);
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

int dd_severity_parse(const char *s)
{
    for (int i = 0; s && i <= DD_SEV_CRITICAL; i++) {
        if (!strcasecmp(s, dd_severity_name((dd_severity)i))) {
            return i;
        }
    }
    return -1;
}

const char *dd_kind_name(dd_finding_kind k)
{
    static const char *const names[] = {"integrity", "archive", "vuln",
                                        "secret",    "malware", "config",
                                        "trust",     "license"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "unknown";
}

static size_t slen(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static const char *pack(char **o, const char *s)
{
    if (!s) {
        return NULL;
    }
    size_t n = strlen(s) + 1;
    memcpy(*o, s, n);
    char *r = *o;
    *o += n;
    return r;
}

int dd__findings_set_vuln(dd_findings *list, const dd_vuln_info *v)
{
    if (!list->items.len) {
        return DD_EINVALID;
    }
    size_t need = sizeof(dd_vuln_info) + slen(v->package) +
                  slen(v->source_package) + slen(v->installed_version) +
                  slen(v->fixed_version) + slen(v->pkg_type) +
                  slen(v->namespace_) + slen(v->references) +
                  slen(v->cvss_vector) + slen(v->purl);
    dd_vuln_info *c = dd__malloc(need);
    if (!c) {
        return DD_ENOMEM;
    }
    char *o = (char *)(c + 1);
    c->status = v->status;
    c->cvss_score = v->cvss_score;
    c->package = pack(&o, v->package);
    c->source_package = pack(&o, v->source_package);
    c->installed_version = pack(&o, v->installed_version);
    c->fixed_version = pack(&o, v->fixed_version);
    c->pkg_type = pack(&o, v->pkg_type);
    c->namespace_ = pack(&o, v->namespace_);
    c->references = pack(&o, v->references);
    c->cvss_vector = pack(&o, v->cvss_vector);
    c->purl = pack(&o, v->purl);
    DD_VEC_AT(&list->items, dd_finding, list->items.len - 1)->vuln = c;
    return 0;
}

int dd__findings_copy(dd_findings *to, const dd_finding *f)
{
    size_t need = slen(f->rule_id) + slen(f->title) + slen(f->path) +
                  slen(f->layer_digest) + slen(f->evidence) +
                  slen(f->category) + slen(f->engine) + slen(f->sha256);
    char *blk = dd__malloc(need);
    dd_finding *d = blk ? dd__vec_push(&to->items) : NULL;
    if (!d) {
        dd__free(blk);
        return DD_ENOMEM;
    }
    *d = *f;
    d->vuln = NULL;
    char *o = blk;
    d->rule_id = pack(&o, f->rule_id); /* first: owns the block */
    d->title = pack(&o, f->title);
    d->path = pack(&o, f->path);
    d->layer_digest = pack(&o, f->layer_digest);
    d->evidence = pack(&o, f->evidence);
    d->category = pack(&o, f->category);
    d->engine = pack(&o, f->engine);
    d->sha256 = pack(&o, f->sha256);
    return f->vuln ? dd__findings_set_vuln(to, f->vuln) : 0;
}

int dd__findings_filter_move(dd_findings *to,
                             dd_findings *from,
                             int (*keep)(void *ctx, const dd_finding *f),
                             void *ctx)
{
    int rc = 0;
    size_t i = 0;
    for (; i < from->items.len && !rc; i++) {
        dd_finding *f = DD_VEC_AT(&from->items, dd_finding, i);
        if (!keep(ctx, f)) {
            finding_clear(f);
            continue;
        }
        dd_finding *slot = dd__vec_push(&to->items);
        if (!slot) {
            rc = DD_ENOMEM;
            finding_clear(f);
            continue;
        }
        *slot = *f;
    }
    for (; i < from->items.len; i++) {
        finding_clear(DD_VEC_AT(&from->items, dd_finding, i));
    }
    from->items.len = 0;
    return rc;
}

/* stable merge sort of the items (qsort is not stable) */
int dd__findings_sort(dd_findings *l,
                      int (*cmp)(const dd_finding *, const dd_finding *))
{
    size_t n = l->items.len;
    if (n < 2) {
        return 0;
    }
    dd_finding *a = l->items.items;
    dd_finding *tmp = dd__malloc(n * sizeof *tmp);
    if (!tmp) {
        return DD_ENOMEM;
    }
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n;
            size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                tmp[k++] = cmp(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
            }
            while (i < mid) {
                tmp[k++] = a[i++];
            }
            while (j < hi) {
                tmp[k++] = a[j++];
            }
        }
        memcpy(a, tmp, n * sizeof *tmp);
    }
    dd__free(tmp);
    return 0;
}
