/*
 * lib/vuln/match.c - package inventory x vulnerability database.
 *
 * Namespaces from the detected OS, in order (lib/eco/distro.c,
 * docs/namespaces.md: "rocky:9" then "redhat:9"; the first with rows for
 * the package decides, Ubuntu Pro is always consulted as a supplement;
 * rpm module streams "redhat:8::nodejs:18"); distro packages are looked
 * up by source package (dpkg Source:, apk origin, rpm source rpm) and
 * compared with the distro's version order. Per
 * database row:
 *   not-affected                 -> nothing
 *   OSV ranges / versions        -> affected when the installed version is
 *                                   in a range (introduced <= v < fixed,
 *                                   <= last_affected, or open-ended) or
 *                                   listed; fixed version = the range's fix
 *   fixed (with version)         -> affected when installed < fixed
 *   affected / will-not-fix / deferred / end-of-life
 *                                -> reported with that status, no fix
 * The same issue from several feeds or records is reported once per
 * package: a DEBIAN-CVE-x record is reported as CVE-x, DSA/DLA advisories
 * fold into the CVEs they fix (listed as references) and stand alone only
 * when none of their CVEs matched.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "match_int.h"
#include "../eco/distro.h"
#include "../eco/eco.h"
#include "db_int.h"
#include "../findings_int.h"

typedef struct dd__vuln_hit {
    char id[96];
    char *refs; /* comma-separated */
    char *summary;
    char fixed[128];
    int has_fixed;
    dd_vuln_status status;
    dd_severity sev;
    double score;
    char vector[128];
    int advisory; /* DSA/DLA/DTSA */
    char ns[96];  /* namespace the row came from */
} dd__vuln_hit;

/* bounded copy without printf */
static void copy(char *dst, size_t n, const char *src)
{
    size_t l = strlen(src);
    if (l >= n) {
        l = n - 1;
    }
    memcpy(dst, src, l);
    dst[l] = '\0';
}

const char *dd_vuln_status_name(dd_vuln_status s)
{
    static const char *const n[] = {"fixed",    "affected",    "will_not_fix",
                                    "deferred", "end_of_life", "unknown",
                                    "fixed_esm"};
    return (unsigned)s < 7 ? n[s] : "unknown";
}

void dd__vuln_report_free(dd__vuln_report *r)
{
    if (r) {
        dd__free(r->warnings);
        dd__free(r->ns);
        memset(r, 0, sizeof *r);
    }
}

static dd_severity sev_of(const char *s)
{
    int v = dd_severity_parse(s);
    return v < 0 ? DD_SEV_UNKNOWN : (dd_severity)v;
}

/* 1 affected (fixed_out set when a fix exists), 0 not, -1 unreadable */
static int in_ranges(const char *json,
                     dd_version_scheme sch,
                     const char *ver,
                     char *fixed_out,
                     size_t fn)
{
    json_t *doc = NULL; /* written by the importer; -1 when not readable */
    if (dd__json_parse(&doc, json, strlen(json), 0, "ranges", NULL)) {
        return -1;
    }
    int found = 0;
    fixed_out[0] = '\0';
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "versions"), i, v)
    {
        int c;
        if (json_is_string(v) &&
            dd_version_compare(sch, ver, json_string_value(v), &c) == 0 &&
            c == 0) {
            found = 1;
        }
    }
    json_t *rg;
    json_array_foreach(json_object_get(doc, "ranges"), i, rg)
    {
        int open = 0;
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(rg, "events"), k, e)
        {
            const char *x;
            int c;
            if ((x = json_string_value(json_object_get(e, "introduced")))) {
                open = !strcmp(x, "0") ||
                       (dd_version_compare(sch, ver, x, &c) == 0 && c >= 0);
            } else if ((x = json_string_value(json_object_get(e, "fixed")))) {
                if (open && dd_version_compare(sch, ver, x, &c) == 0 && c < 0) {
                    found = 1;
                    if (!fixed_out[0]) {
                        snprintf(fixed_out, fn, "%s", x);
                    }
                }
                open = 0;
            } else if ((x = json_string_value(
                            json_object_get(e, "last_affected")))) {
                if (open && dd_version_compare(sch, ver, x, &c) == 0 &&
                    c <= 0) {
                    found = 1;
                }
                open = 0;
            } else if ((x = json_string_value(json_object_get(e, "limit")))) {
                if (open &&
                    (!strcmp(x, "*") ||
                     (dd_version_compare(sch, ver, x, &c) == 0 && c < 0))) {
                    found = 1;
                }
                open = 0;
            }
        }
        if (open) {
            found = 1; /* introduced and never fixed */
        }
    }
    json_decref(doc);
    return found;
}

static int ci_prefix(const char *s, const char *p)
{
    return !strncmp(s, p, strlen(p));
}

/* Canonical id: DEBIAN-CVE-x -> CVE-x (also via aliases). */
static void canonical(const char *id, const char *aliases, char *out, size_t n)
{
    if (ci_prefix(id, "DEBIAN-CVE-")) {
        copy(out, n, id + 7);
        return;
    }
    if (ci_prefix(id, "DEBIAN-") && aliases && ci_prefix(aliases, "CVE-")) {
        size_t l = strcspn(aliases, ",");
        l = l < n ? l : n - 1;
        memcpy(out, aliases, l);
        out[l] = '\0';
        return;
    }
    copy(out, n, id);
}

static int add_ref(char **refs, const char *r)
{
    if (!r || !*r) {
        return 0;
    }
    /* already there? */
    if (*refs) {
        size_t rl = strlen(r);
        for (const char *p = *refs; p && *p;) {
            size_t n = strcspn(p, ",");
            if (n == rl && !strncmp(p, r, n)) {
                return 0;
            }
            p += n + (p[n] == ',');
        }
    }
    char *s = *refs ? dd__asprintf("%s,%s", *refs, r) : dd__strdup(r);
    if (!s) {
        return DD_ENOMEM;
    }
    dd__free(*refs);
    *refs = s;
    return 0;
}

/* Ordered database namespaces and version order of an OS package, from
 * the distribution table (lib/eco/distro.c); 0 when the package cannot
 * be matched (no OS, or a package type that is not the OS's). */
static int ns_for(const dd_package *p, const dd_os_info *os, dd__distro_ns *L)
{
    if (!os || !os->family) {
        return 0;
    }
    dd_version_scheme want = p->type == DD_PKG_DPKG  ? DD_VER_DPKG
                             : p->type == DD_PKG_APK ? DD_VER_APK
                             : p->type == DD_PKG_RPM ? DD_VER_RPM
                                                     : DD_VER_SEMVER;
    if (want == DD_VER_SEMVER) {
        return 0; /* application packages: lang_ns() */
    }
    const char *v = os->version ? os->version : "";
    if (!strcmp(os->family, "debian") && !(*v >= '0' && *v <= '9')) {
        /* testing/sid: the codename names the release */
        v = os->codename && dd__debian_release(os->codename)
                ? dd__debian_release(os->codename)
                : "unstable";
    }
    dd__distro_namespaces(dd__distro_like(os->family, os->id_like), v,
                          p->type == DD_PKG_RPM ? p->modularity : NULL, L);
    if (L->row && L->scheme != want) {
        return 0; /* an apk database on Debian etc.: not this OS's */
    }
    L->scheme = want;
    return 1;
}

/* Namespace, order and compared name of an application package: its
 * ecosystem's row ("npm", "pypi"); NULL for OS packages. */
static const dd__eco *
lang_ns(const dd_package *p, dd_version_scheme *sch, char *name, size_t n)
{
    const dd__eco *e = dd__eco_by_pkg_type(p->type);
    if (!e) {
        return NULL;
    }
    *sch = e->scheme;
    if (dd__eco_normalize(e, p->name, name, n)) {
        snprintf(name, n, "%s", p->name);
    }
    return e;
}

/* A row naming an rpm module build ("1.2-1.module+el8.8.0+1+ab"). */
static int module_build(const char *fixed, const char *ranges)
{
    return (fixed && strstr(fixed, ".module")) ||
           (ranges && strstr(ranges, ".module"));
}

/* Rows of (ns, name) that apply to version ver go to hits; *seen (when
 * not NULL) counts the rows the namespace has for the name at all. esm:
 * the namespace is Ubuntu Pro's, whose fixes are DD_VULN_FIXED_ESM.
 * modfilter (dd__distro_ns): 1 only module builds, -1 none, 0 all. */
static int collect(dd_vulndb *db,
                   const char *ns,
                   const char *name,
                   dd_version_scheme sch,
                   const char *ver,
                   int esm,
                   int modfilter,
                   size_t *seen,
                   dd__vec *hits)
{
    sqlite3_stmt *st = dd__vulndb_lookup(db);
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, ns, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int rc = 0;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        const char *scheme = (const char *)sqlite3_column_text(st, 0);
        const char *status = (const char *)sqlite3_column_text(st, 1);
        const char *fixed = (const char *)sqlite3_column_text(st, 2);
        const char *ranges = (const char *)sqlite3_column_text(st, 3);
        const char *asev = (const char *)sqlite3_column_text(st, 4);
        const char *id = (const char *)sqlite3_column_text(st, 5);
        const char *summary = (const char *)sqlite3_column_text(st, 6);
        const char *vsev = (const char *)sqlite3_column_text(st, 7);
        double score = sqlite3_column_type(st, 8) == SQLITE_NULL
                           ? -1
                           : sqlite3_column_double(st, 8);
        dd_version_scheme rs = sch;
        if (modfilter && module_build(fixed, ranges) != (modfilter > 0)) {
            continue;
        }
        if (seen) {
            (*seen)++;
        }
        if (!status || !id || !strcmp(status, "not-affected") ||
            (scheme && dd_version_scheme_parse(scheme, &rs))) {
            continue;
        }
        if (!scheme && (ranges || (fixed && !strcmp(status, "fixed"))) &&
            dd_ecosystem_scheme(ns, &rs) == DD_EUNSUPPORTED) {
            continue; /* no comparator: never another scheme's order */
        }
        dd__vuln_hit h;
        h.id[0] = h.fixed[0] = h.vector[0] = '\0';
        h.refs = h.summary = NULL;
        h.has_fixed = h.advisory = 0;
        h.score = score;
        if (ranges) {
            int r = in_ranges(ranges, rs, ver, h.fixed, sizeof h.fixed);
            if (r <= 0) {
                continue;
            }
            h.has_fixed = h.fixed[0] != 0;
            h.status = h.has_fixed ? DD_VULN_FIXED : DD_VULN_AFFECTED;
        } else if (!strcmp(status, "fixed")) {
            int c;
            if (!fixed || dd_version_compare(rs, ver, fixed, &c) || c >= 0) {
                continue;
            }
            copy(h.fixed, sizeof h.fixed, fixed);
            h.has_fixed = 1;
            h.status = DD_VULN_FIXED;
        } else {
            h.status = DD_VULN_AFFECTED;
        }
        if (!strcmp(status, "will-not-fix")) {
            h.status = DD_VULN_WILL_NOT_FIX;
        } else if (!strcmp(status, "deferred")) {
            h.status = DD_VULN_DEFERRED;
        } else if (!strcmp(status, "end-of-life")) {
            h.status = DD_VULN_END_OF_LIFE;
        }
        if (esm && h.status == DD_VULN_FIXED) {
            h.status = DD_VULN_FIXED_ESM;
        }
        copy(h.ns, sizeof h.ns, ns);
        const char *vector = (const char *)sqlite3_column_text(st, 9);
        const char *aliases = (const char *)sqlite3_column_text(st, 10);
        canonical(id, aliases, h.id, sizeof h.id);
        h.advisory = ci_prefix(id, "DSA-") || ci_prefix(id, "DLA-") ||
                     ci_prefix(id, "DTSA-");
        h.sev = sev_of(asev);
        if (h.sev == DD_SEV_UNKNOWN) {
            h.sev = sev_of(vsev);
        }
        if (h.sev == DD_SEV_UNKNOWN && score >= 0) {
            h.sev = sev_of(dd__cvss_severity(score));
        }
        if (vector) {
            copy(h.vector, sizeof h.vector, vector);
        }
        h.summary = summary ? dd__strdup(summary) : NULL;
        if (strcmp(h.id, id)) {
            rc = add_ref(&h.refs, id);
        }
        for (const char *p = aliases; !rc && p && *p;) {
            size_t n = strcspn(p, ",");
            char a[160];
            snprintf(a, sizeof a, "%.*s", (int)(n < 159 ? n : 159), p);
            if (strcmp(a, h.id)) {
                rc = add_ref(&h.refs, a);
            }
            p += n + (p[n] == ',');
        }
        dd__vuln_hit *slot = rc ? NULL : dd__vec_push(hits);
        if (!slot) {
            dd__free(h.refs);
            dd__free(h.summary);
            return DD_ENOMEM;
        }
        *slot = h;
    }
    return rc;
}

static dd__vuln_hit *find_hit(dd__vec *v, const char *id)
{
    for (size_t i = 0; i < v->len; i++) {
        dd__vuln_hit *h = DD_VEC_AT(v, dd__vuln_hit, i);
        if (!h->advisory && !strcmp(h->id, id)) {
            return h;
        }
    }
    return NULL;
}

/* merge b into a (same issue) */
static int merge(dd__vuln_hit *a, dd__vuln_hit *b)
{
    if (!a->has_fixed && b->has_fixed) {
        snprintf(a->fixed, sizeof a->fixed, "%s", b->fixed);
        a->has_fixed = 1;
        a->status = b->status; /* fixed, or fixed in Ubuntu Pro (ESM) */
    }
    if (b->sev > a->sev) {
        a->sev = b->sev;
    }
    if (a->score < 0 && b->score >= 0) {
        a->score = b->score;
        snprintf(a->vector, sizeof a->vector, "%s", b->vector);
    }
    if (!a->summary && b->summary) {
        a->summary = b->summary;
        b->summary = NULL;
    }
    int rc = add_ref(&a->refs, b->refs);
    return rc;
}

static void free_hits(dd__vec *v)
{
    for (size_t i = 0; i < v->len; i++) {
        dd__vuln_hit *h = DD_VEC_AT(v, dd__vuln_hit, i);
        dd__free(h->refs);
        dd__free(h->summary);
    }
    v->len = 0;
}

static int emit(dd_findings *out,
                const dd_package *p,
                const dd__vuln_hit *h,
                const char *ns,
                const dd_image_info *info,
                const char *purl)
{
    const char *diff = NULL;
    if (p->layer >= 0 && (size_t)p->layer < info->n_layers) {
        diff = info->layers[p->layer].diff_id ? info->layers[p->layer].diff_id
                                              : info->layers[p->layer].digest;
    }
    dd__finding_spec sp = {DD_KIND_VULN,
                           h->sev,
                           h->id,
                           p->db_path,
                           diff,
                           p->dev ? "dev dependency" : NULL,
                           p->layer,
                           p->history,
                           0,
                           0,
                           0,
                           NULL,
                           NULL,
                           NULL};
    int rc = dd__findings_add_text(out, &sp, h->summary ? h->summary : h->id);
    if (rc) {
        return rc;
    }
    dd_vuln_info vi = {p->name,    p->source_name ? p->source_name : p->name,
                       p->version, h->has_fixed ? h->fixed : NULL,
                       h->status,  dd_pkg_type_name(p->type),
                       ns,         h->refs,
                       h->score,   h->vector[0] ? h->vector : NULL,
                       purl};
    return dd__findings_set_vuln(out, &vi);
}

/* Fold duplicates (same id from several feeds) and DSA/DLA advisories
 * into the CVEs they fix; folded entries get an empty id. */
static int fold(dd__vec *hits)
{
    int rc = 0;
    for (size_t a = 0; !rc && a < hits->len; a++) {
        dd__vuln_hit *h = DD_VEC_AT(hits, dd__vuln_hit, a);
        if (h->advisory || !h->id[0]) {
            continue;
        }
        for (size_t b = a + 1; !rc && b < hits->len; b++) {
            dd__vuln_hit *o = DD_VEC_AT(hits, dd__vuln_hit, b);
            if (!o->advisory && o->id[0] && !strcmp(o->id, h->id)) {
                rc = merge(h, o);
                o->id[0] = '\0';
            }
        }
    }
    for (size_t a = 0; !rc && a < hits->len; a++) {
        dd__vuln_hit *h = DD_VEC_AT(hits, dd__vuln_hit, a);
        if (!h->advisory || !h->id[0]) {
            continue;
        }
        int folded = 0;
        for (const char *r = h->refs; !rc && r && *r;) {
            size_t n = strcspn(r, ",");
            char id[160];
            snprintf(id, sizeof id, "%.*s", (int)(n < 159 ? n : 159), r);
            dd__vuln_hit *t = find_hit(hits, id);
            if (t && t->id[0]) {
                rc = add_ref(&t->refs, h->id);
                folded = 1;
            }
            r += n + (r[n] == ',');
        }
        if (folded) {
            h->id[0] = '\0';
        }
    }
    return rc;
}

static int warn(dd__buf *w, const char *fmt, ...) DD_PRINTF(2, 3);
static int warn(dd__buf *w, const char *fmt, ...)
{
    char m[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    return dd__buf_printf(w, "%s\n", m);
}

static int ns_has_rows(dd_vulndb *db, const char *ns, size_t len)
{
    sqlite3_stmt *q = NULL;
    int have =
        sqlite3_prepare_v2(dd__vulndb_handle(db),
                           "SELECT 1 FROM affected WHERE ns = ? LIMIT 1", -1,
                           &q, NULL) == SQLITE_OK &&
        sqlite3_bind_text(q, 1, ns, (int)len, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return have;
}

/* Once per list of (base) namespaces: does any imported feed cover one
 * of them? If not, one warning naming every namespace looked for. The
 * report's namespace is the first covered one. */
static int coverage(dd_vulndb *db,
                    const dd_os_info *os,
                    const dd__eco *le,
                    const dd__distro_ns *L,
                    char *covered,
                    size_t cn,
                    dd__buf *w,
                    dd__vuln_report *rep)
{
    char list[400];
    size_t o = 0;
    list[0] = '\0';
    for (size_t k = 0; k < L->n; k++) {
        if (L->supplement[k]) {
            continue;
        }
        const char *ns = L->ns[k];
        const char *mod = strstr(ns, "::");
        size_t len = mod ? (size_t)(mod - ns) : strlen(ns);
        int dup = 0;
        for (size_t j = 0; j < k; j++) {
            dup |= !L->supplement[j] && !strncmp(L->ns[j], ns, len) &&
                   (L->ns[j][len] == '\0' || L->ns[j][len] == ':');
        }
        if (dup) {
            continue;
        }
        int r = snprintf(list + o, sizeof list - o, "%s%.*s", o ? " or " : "",
                         (int)len, ns);
        if (r < 0 || (size_t)r >= sizeof list - o) {
            break;
        }
        o += (size_t)r;
    }
    if (!strcmp(covered, list)) {
        return 0;
    }
    snprintf(covered, cn, "%s", list);
    const char *first = NULL;
    size_t flen = 0;
    for (size_t k = 0; !first && k < L->n; k++) {
        const char *ns = L->ns[k];
        const char *mod = strstr(ns, "::");
        size_t len = mod ? (size_t)(mod - ns) : strlen(ns);
        if (!L->supplement[k] && ns_has_rows(db, ns, len)) {
            first = ns;
            flen = len;
        }
    }
    dd__free(rep->ns);
    rep->ns = first ? dd__strndup(first, flen) : dd__strdup(list);
    if (!rep->ns) {
        return DD_ENOMEM;
    }
    if (!first) {
        return warn(w,
                    "no imported feed covers %s: its packages were not "
                    "checked (import one with `drydock db import` or "
                    "`drydock db update`)%s%s%s",
                    list,
                    le || !os || L->row
                        ? ""
                        : "; drydock has no "
                          "namespace rules for os-release ID \"",
                    le || !os || L->row ? "" : os->family,
                    le || !os || L->row ? "" : "\"");
    }
    return 0;
}

int dd__vuln_match(dd_vulndb *db,
                   const dd_inventory *inv,
                   const dd_image *img,
                   int64_t max_age,
                   dd_findings **out,
                   dd__vuln_report *rep,
                   dd_error *err)
{
    dd__error_clear(err);
    memset(rep, 0, sizeof *rep);
    if (!inv) {
        return dd__error_set(err, DD_EINVALID,
                             "the scan ran without the package analyzer");
    }
    const dd_os_info *os = dd_inventory_os(inv);
    const dd_image_info *info = dd_image_info_get(img);
    dd_findings *f = dd__findings_new();
    dd__buf w;
    dd__buf_init(&w, 1u << 20);
    dd__vec hits;
    dd__vec_init(&hits, sizeof(dd__vuln_hit));
    int rc = f ? 0 : DD_ENOMEM;
    max_age = max_age > 0 ? max_age : 7 * 86400;
    int64_t age = dd_vulndb_age(db);
    if (age > max_age) {
        warn(&w,
             "the vulnerability database is %lld days old (over %lld): "
             "run `drydock db update`",
             (long long)(age / 86400), (long long)(max_age / 86400));
    }
    if (os && os->eol > 0) {
        warn(&w,
             "%s %s reached its end of life on %s: its vendor publishes "
             "no more fixes, so new vulnerabilities go unreported",
             os->family, os->version ? os->version : "", os->eol_date);
    }
    if (!os && dd_inventory_count(inv)) {
        warn(&w, "the OS was not detected: OS packages cannot be matched");
    }
    char covered[400] = "", unmatched_ns[64] = "";
    for (size_t i = 0; !rc && i < dd_inventory_count(inv); i++) {
        const dd_package *p = dd_inventory_get(inv, i);
        char lname[512];
        dd_version_scheme sch = DD_VER_DPKG;
        const dd__eco *le = lang_ns(p, &sch, lname, sizeof lname);
        dd__distro_ns L;
        if (le) {
            memset(&L, 0, sizeof L);
            L.n = 1;
            copy(L.ns[0], sizeof L.ns[0], le->id);
        } else if (ns_for(p, os, &L)) {
            sch = L.scheme;
        } else {
            continue;
        }
        if (le && !le->has_scheme) {
            if (strcmp(unmatched_ns, le->id)) {
                snprintf(unmatched_ns, sizeof unmatched_ns, "%s", le->id);
                warn(&w,
                     "%s packages are unmatched: drydock has no version "
                     "comparator for %s",
                     dd_pkg_type_name(p->type), le->osv ? le->osv : le->id);
            }
            continue;
        }
        rc = coverage(db, os, le, &L, covered, sizeof covered, &w, rep);
        if (rc) {
            break;
        }
        rep->packages_checked++;
        const char *name = le               ? lname
                           : p->source_name ? p->source_name
                                            : p->name;
        /* Debian advisories name source versions: a binNMU (+b13) or a
         * binary with its own numbering (cpp 4:12.2.0-3 from gcc-defaults)
         * must be compared by the version of its source */
        const char *ver = p->type == DD_PKG_DPKG && p->source_version
                              ? p->source_version
                              : p->version;
        /* the first namespace with rows for the package decides (Rocky's
         * own advisories before Red Hat's); supplements (Ubuntu Pro) are
         * always consulted and fold into the same ids */
        int found = 0;
        for (size_t k = 0; !rc && k < L.n; k++) {
            if (found && !L.supplement[k]) {
                continue;
            }
            size_t seen = 0;
            rc = collect(db, L.ns[k], name, sch, ver, L.supplement[k],
                         L.modfilter[k], &seen, &hits);
            if (!rc && !le && p->source_name &&
                strcmp(p->source_name, p->name)) {
                rc = collect(db, L.ns[k], p->name, sch, p->version,
                             L.supplement[k], L.modfilter[k], &seen, &hits);
            }
            found |= seen && !L.supplement[k];
        }
        if (!rc) {
            rc = fold(&hits);
        }
        char *purl = NULL;
        for (size_t a = 0; !rc && a < hits.len; a++) {
            dd__vuln_hit *h = DD_VEC_AT(&hits, dd__vuln_hit, a);
            if (h->id[0]) {
                if (!purl && !(purl = dd_package_purl(p, os))) {
                    rc = DD_ENOMEM;
                    break;
                }
                rc = emit(f, p, h, h->ns, info, purl);
            }
        }
        dd__free(purl);
        free_hits(&hits);
    }
    dd__vec_free(&hits);
    if (rc) {
        dd_findings_free(f);
        dd__buf_free(&w);
        dd__vuln_report_free(rep);
        return dd__error_set(err, rc, "matching: %s", dd_strerror(rc));
    }
    rep->warnings = w.len ? dd__buf_detach(&w) : NULL;
    dd__buf_free(&w);
    *out = f;
    return 0;
}

int dd_vuln_match_package(dd_vulndb *db,
                          const char *ns,
                          dd_version_scheme scheme,
                          const char *name,
                          const char *version,
                          dd_findings **out,
                          dd_error *err)
{
    dd__error_clear(err);
    const dd__eco *eco = dd__eco_by_ns(ns);
    dd_version_scheme own;
    if (eco && dd_ecosystem_scheme(ns, &own) == DD_EUNSUPPORTED) {
        return dd__error_set(err, DD_EUNSUPPORTED,
                             "%s %s %s: unmatched: drydock has no version "
                             "comparator for %s",
                             ns, name, version, eco->osv ? eco->osv : ns);
    }
    char norm[512];
    if (eco && !dd__eco_normalize(eco, name, norm, sizeof norm)) {
        name = norm; /* as the feed import stored it */
    }
    dd_findings *f = dd__findings_new();
    dd__vec hits;
    dd__vec_init(&hits, sizeof(dd__vuln_hit));
    int rc = f ? collect(db, ns, name, scheme, version,
                         !strncmp(ns, "ubuntu-pro", 10), 0, NULL, &hits)
               : DD_ENOMEM;
    if (!rc) {
        rc = fold(&hits);
    }
    char *purl = NULL;
    if (!rc && eco && !eco->os_family) {
        purl = dd__eco_purl(eco, name, version);
    }
    for (size_t a = 0; !rc && a < hits.len; a++) {
        dd__vuln_hit *h = DD_VEC_AT(&hits, dd__vuln_hit, a);
        if (!h->id[0]) {
            continue;
        }
        dd__finding_spec sp = {DD_KIND_VULN, h->sev, h->id, NULL, NULL, NULL,
                               -1,           -1,     0,     0,    0,    NULL,
                               NULL,         NULL};
        rc = dd__findings_add_text(f, &sp, h->summary ? h->summary : h->id);
        dd_vuln_info vi = {name,      name,
                           version,   h->has_fixed ? h->fixed : NULL,
                           h->status, dd_version_scheme_name(scheme),
                           ns,        h->refs,
                           h->score,  h->vector[0] ? h->vector : NULL,
                           purl};
        if (!rc) {
            rc = dd__findings_set_vuln(f, &vi);
        }
    }
    dd__free(purl);
    free_hits(&hits);
    dd__vec_free(&hits);
    if (rc) {
        dd_findings_free(f);
        return dd__error_set(err, rc, "matching: %s", dd_strerror(rc));
    }
    *out = f;
    return 0;
}
