/*
 * lib/source/sbom_input.c - sbom:FILE (sbom_input.h): package URLs,
 * CycloneDX and SPDX JSON documents into dd_package records, and the
 * image of no layers that carries them (dd__sbom_image_open).
 *
 * A document is parsed with dd__json_parse (size cap, duplicate keys
 * rejected, nesting limited); after that every walk over it is bounded by
 * the component budget and the nesting depth, and every message names
 * the file and the JSON path of the component.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "image_priv.h"
#include "sbom_input.h"
#include "../eco/eco.h"

#define SUPPORTED "drydock reads CycloneDX 1.4-1.6 JSON and SPDX 2.3 JSON"

/* ---- package URLs ---------------------------------------------------- */

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* percent-decode s[0, n) into the arena; NULL with *why on a bad escape
 * or a NUL byte, NULL without *why on ENOMEM */
static char *
pct(dd__arena *a, const char *s, size_t n, int lower, const char **why)
{
    char *o = dd__arena_alloc(a, n + 1);
    if (!o) {
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            int hi = i + 1 < n ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                *why = "a '%' not followed by two hex digits";
                return NULL;
            }
            c = (char)(hi * 16 + lo);
            i += 2;
            if (!c) {
                *why = "an encoded NUL byte";
                return NULL;
            }
        }
        if (lower && c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        o[k++] = c;
    }
    o[k] = '\0';
    return o;
}

int dd__purl_parse(dd__purl *out, const char *s, dd__arena *a, const char **why)
{
    memset(out, 0, sizeof *out);
    *why = NULL;
    if (!s || strncasecmp(s, "pkg:", 4)) {
        *why = "does not start with 'pkg:'";
        return DD_EINVALID;
    }
    const char *b = s + 4, *e = s + strlen(s);
    while (b < e && *b == '/') {
        b++;
    }
    /* subpath, qualifiers, version: each split once from the right */
    const char *hash = memchr(b, '#', (size_t)(e - b));
    const char *sub_end = e;
    if (hash) {
        e = hash;
    }
    const char *q = memchr(b, '?', (size_t)(e - b));
    const char *q_end = e;
    if (q) {
        e = q;
    }
    while (e > b && e[-1] == '/') {
        e--;
    }
    const char *slash1 = memchr(b, '/', (size_t)(e - b));
    if (!slash1 || slash1 == b) {
        *why = slash1 ? "no type" : "no '/' between type and name";
        return DD_EINVALID;
    }
    const char *last_slash = e;
    while (last_slash > slash1 && last_slash[-1] != '/') {
        last_slash--;
    }
    last_slash--; /* the '/' before the name */
    const char *at = NULL;
    for (const char *p = e; p > last_slash + 1; p--) {
        if (p[-1] == '@') {
            at = p - 1;
            break;
        }
    }
    const char *name_end = at ? at : e;
    for (const char *p = b; p < slash1; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-')) {
            *why = "a type with characters other than letters, digits, "
                   "'.', '+', '-'";
            return DD_EINVALID;
        }
    }
    if (!(out->type = pct(a, b, (size_t)(slash1 - b), 1, why))) {
        return *why ? DD_EINVALID : DD_ENOMEM;
    }
    /* trailing slashes of the name part are not part of the name */
    while (name_end > last_slash + 1 && name_end[-1] == '/') {
        name_end--;
    }
    if (name_end <= last_slash + 1) {
        *why = "no name";
        return DD_EINVALID;
    }
    if (!(out->name = pct(a, last_slash + 1,
                          (size_t)(name_end - last_slash - 1), 0, why))) {
        return *why ? DD_EINVALID : DD_ENOMEM;
    }
    /* namespace: the segments between type and name, empty ones dropped */
    if (last_slash > slash1) {
        dd__buf ns;
        dd__buf_init(&ns, 0);
        int rc = 0;
        for (const char *p = slash1 + 1; p < last_slash && !rc;) {
            const char *n = memchr(p, '/', (size_t)(last_slash - p));
            const char *se = n ? n : last_slash;
            if (se > p) {
                char *seg = pct(a, p, (size_t)(se - p), 0, why);
                if (!seg) {
                    rc = *why ? DD_EINVALID : DD_ENOMEM;
                } else if (strchr(seg, '/')) {
                    *why = "a namespace segment with an encoded '/'";
                    rc = DD_EINVALID;
                } else {
                    rc = (ns.len ? dd__buf_add(&ns, "/", 1) : 0) ||
                                 dd__buf_addstr(&ns, seg)
                             ? DD_ENOMEM
                             : 0;
                }
            }
            p = se + 1;
        }
        if (!rc && ns.len) {
            out->ns = dd__arena_strndup(a, ns.ptr, ns.len);
            rc = out->ns ? 0 : DD_ENOMEM;
        }
        dd__buf_free(&ns);
        if (rc) {
            return rc;
        }
    }
    if (at && at + 1 < e) {
        if (!(out->version = pct(a, at + 1, (size_t)(e - at - 1), 0, why))) {
            return *why ? DD_EINVALID : DD_ENOMEM;
        }
    }
    if (q) {
        for (const char *p = q + 1; p < q_end;) {
            const char *amp = memchr(p, '&', (size_t)(q_end - p));
            const char *pe = amp ? amp : q_end;
            const char *eq = memchr(p, '=', (size_t)(pe - p));
            if (eq && eq > p && eq + 1 < pe) { /* empty values are absent */
                if (out->n_q == DD__PURL_MAX_QUALIFIERS) {
                    *why = "more than 16 qualifiers";
                    return DD_EINVALID;
                }
                const char *k = pct(a, p, (size_t)(eq - p), 1, why);
                const char *v =
                    k ? pct(a, eq + 1, (size_t)(pe - eq - 1), 0, why) : NULL;
                if (!v) {
                    return *why ? DD_EINVALID : DD_ENOMEM;
                }
                out->qkey[out->n_q] = k;
                out->qval[out->n_q++] = v;
            }
            p = pe + 1;
        }
    }
    if (hash) {
        const char *sp = hash + 1;
        while (sp < sub_end && *sp == '/') {
            sp++;
        }
        if (sp < sub_end &&
            !(out->subpath = pct(a, sp, (size_t)(sub_end - sp), 0, why))) {
            return *why ? DD_EINVALID : DD_ENOMEM;
        }
    }
    return 0;
}

const char *dd__purl_q(const dd__purl *p, const char *key)
{
    for (size_t i = 0; i < p->n_q; i++) {
        if (!strcmp(p->qkey[i], key)) {
            return p->qval[i];
        }
    }
    return NULL;
}

/* ---- the document ---------------------------------------------------- */

typedef struct other_type {
    char type[32];
    size_t n;
} other_type;

typedef struct parser {
    dd__sbom_doc *d;
    const char *what;
    dd__sbom_limits lim;
    int oom;
    int stop; /* the component budget was hit */
    int os_from_doc;
    size_t no_purl;
    other_type other[8];
    size_t n_other, other_more;
} parser;

/* one component or package as the document states it */
typedef struct cand {
    const char *path; /* "components[3]", "packages[7]" */
    const char *purl;
    const char *ctype; /* CycloneDX component type, or NULL */
    const char *name, *group, *version;
    const char *type_hint; /* drydock:package:type */
    const char *license, *maintainer, *checksum;
    const char *source_name, *source_version;
    const char *arch, *db_path, *vendor, *source_rpm, *modularity;
} cand;

static const char *dup(parser *p, const char *s)
{
    if (!s) {
        return NULL;
    }
    const char *c = dd__arena_strdup(&p->d->a, s);
    if (!c) {
        p->oom = 1;
    }
    return c;
}

static void warn(parser *p, const char *fmt, ...) DD_PRINTF(2, 3);
static void warn(parser *p, const char *fmt, ...)
{
    dd__sbom_doc *d = p->d;
    if (d->warnings.len >= DD__SBOM_MAX_WARNINGS) {
        d->warnings_dropped++;
        return;
    }
    char m[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    /* no control bytes from the document in a warning line */
    char *safe = dd__printable(m, 560);
    char line[700];
    snprintf(line, sizeof line, "%s: %s", p->what, safe ? safe : m);
    dd__free(safe);
    const char **slot = dd__vec_push(&d->warnings);
    if (!slot || !(*slot = dd__arena_strdup(&d->a, line))) {
        if (slot) {
            d->warnings.len--;
        }
        p->oom = 1;
    }
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static dd_pkg_type type_by_name(const char *n)
{
    for (int t = DD_PKG_DPKG; n && t <= DD_PKG_MAVEN; t++) {
        if (!strcmp(dd_pkg_type_name((dd_pkg_type)t), n)) {
            return (dd_pkg_type)t;
        }
    }
    return 0;
}

/* dd_pkg_type of a purl type (via the ecosystem table), 0 when drydock
 * has none */
static dd_pkg_type type_of_purl(const char *t)
{
    if (!strcmp(t, "deb")) {
        return DD_PKG_DPKG;
    }
    if (!strcmp(t, "apk")) {
        return DD_PKG_APK;
    }
    if (!strcmp(t, "rpm")) {
        return DD_PKG_RPM;
    }
    const dd__eco *e = dd__eco_by_purl_type(t, NULL);
    for (int k = DD_PKG_NPM; e && k <= DD_PKG_MAVEN; k++) {
        if (dd__eco_by_pkg_type((dd_pkg_type)k) == e) {
            return (dd_pkg_type)k;
        }
    }
    return 0;
}

static void note_other(parser *p, const char *type)
{
    for (size_t i = 0; i < p->n_other; i++) {
        if (!strcmp(p->other[i].type, type)) {
            p->other[i].n++;
            return;
        }
    }
    if (p->n_other < sizeof p->other / sizeof *p->other) {
        snprintf(p->other[p->n_other].type, sizeof p->other[0].type, "%s",
                 type);
        p->other[p->n_other++].n = 1;
    } else {
        p->other_more++;
    }
}

/* "debian-12" -> "12" for namespace "debian"; "3.20.3" stays; a word
 * without digits is a codename */
static void os_from_purl(parser *p, const dd__purl *u, dd_pkg_type t)
{
    dd__sbom_doc *d = p->d;
    const char *distro = dd__purl_q(u, "distro");
    if (p->os_from_doc || d->os_family || !u->ns) {
        return;
    }
    const char *tname = t == DD_PKG_DPKG  ? "deb"
                        : t == DD_PKG_APK ? "apk"
                                          : "rpm";
    const dd__eco *e = dd__eco_by_purl_type(tname, u->ns);
    if (e && e->purl_ns && strcmp(e->purl_ns, u->ns)) {
        e = NULL;
    }
    const char *family = e ? e->os_family : u->ns;
    d->os_family = dup(p, family);
    if (!distro) {
        return;
    }
    size_t nl = strlen(u->ns), fl = strlen(family);
    const char *v = distro;
    if (!strncmp(v, u->ns, nl) && v[nl] == '-') {
        v += nl + 1;
    } else if (!strncmp(v, family, fl) && v[fl] == '-') {
        v += fl + 1;
    } else if (strchr(v, '-') && !(*v >= '0' && *v <= '9')) {
        v = strchr(v, '-') + 1; /* "rhel-9", another spelling */
    }
    if (*v >= '0' && *v <= '9') {
        d->os_version = dup(p, v);
    } else if (*v) {
        d->os_codename = dup(p, v);
    }
}

/* split "[epoch:]upstream[-release]" (dpkg, rpm) */
static void split_version(parser *p, dd_package *k)
{
    const char *v = k->version;
    const char *colon = strchr(v, ':');
    if (colon && colon > v) {
        k->epoch = dd__arena_strndup(&p->d->a, v, (size_t)(colon - v));
        v = colon + 1;
    }
    const char *dash = strrchr(v, '-');
    if (dash && dash > v && dash[1]) {
        k->upstream = dd__arena_strndup(&p->d->a, v, (size_t)(dash - v));
        k->release = dd__arena_strdup(&p->d->a, dash + 1);
    } else {
        k->upstream = dd__arena_strdup(&p->d->a, v);
    }
    if ((colon && colon > k->version && !k->epoch) || !k->upstream ||
        (dash && dash > v && dash[1] && !k->release)) {
        p->oom = 1;
    }
}

static const char *join2(parser *p, const char *a, char sep, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    char *o = dd__arena_alloc(&p->d->a, n + m + 2);
    if (!o) {
        p->oom = 1;
        return NULL;
    }
    memcpy(o, a, n);
    o[n] = sep;
    memcpy(o + n + 1, b, m + 1);
    return o;
}

/* a component's name as drydock names packages of its type */
static const char *
compose_name(parser *p, dd_pkg_type t, const char *ns, const char *name)
{
    if (!name) {
        return NULL;
    }
    if (!ns || !*ns || t == DD_PKG_DPKG || t == DD_PKG_APK || t == DD_PKG_RPM) {
        return dup(p, name);
    }
    return join2(p, ns, t == DD_PKG_MAVEN ? ':' : '/', name);
}

static int is_package_ctype(const char *t)
{
    return !t || !strcmp(t, "library") || !strcmp(t, "framework");
}

static void emit(parser *p, const cand *c)
{
    dd__sbom_doc *d = p->d;
    dd__purl u;
    int have_purl = 0;
    dd_pkg_type t = 0;
    if (c->purl) {
        const char *why = NULL;
        int rc = dd__purl_parse(&u, c->purl, &d->a, &why);
        if (rc == DD_ENOMEM) {
            p->oom = 1;
            return;
        }
        if (rc) {
            char *pp = dd__printable(c->purl, 120);
            warn(p, "%s: purl '%s': %s: skipped", c->path, pp ? pp : "?", why);
            dd__free(pp);
            d->incomplete = 1;
            return;
        }
        have_purl = 1;
        t = type_of_purl(u.type);
        if (!t) {
            note_other(p, u.type);
            return;
        }
    } else {
        t = type_by_name(c->type_hint);
        if (!t) {
            if (!c->version && is_package_ctype(c->ctype) && c->name) {
                char *pn = dd__printable(c->name, 80);
                warn(p, "%s: no version and no purl ('%s'): skipped", c->path,
                     pn ? pn : "?");
                dd__free(pn);
                d->incomplete = 1;
            } else if (c->version) {
                p->no_purl++;
            }
            return;
        }
    }
    const char *name = have_purl ? compose_name(p, t, u.ns, u.name)
                                 : compose_name(p, t, c->group, c->name);
    if (p->oom) {
        return;
    }
    if (!name || !*name) {
        warn(p, "%s: no name: skipped", c->path);
        d->incomplete = 1;
        return;
    }
    const char *version = have_purl && u.version ? u.version : c->version;
    if (!version || !*version) {
        char *pn = dd__printable(name, 80);
        warn(p, "%s: no version ('%s'): skipped", c->path, pn ? pn : "?");
        dd__free(pn);
        d->incomplete = 1;
        return;
    }
    const char *qe = have_purl ? dd__purl_q(&u, "epoch") : NULL;
    if ((t == DD_PKG_RPM || t == DD_PKG_DPKG) && qe && strcmp(qe, "0") &&
        !strchr(version, ':')) {
        version = join2(p, qe, ':', version);
        if (!version) {
            return;
        }
    }
    dd_package *k = dd__vec_push(&d->pkgs);
    if (!k) {
        p->oom = 1;
        return;
    }
    k->type = t;
    k->name = name;
    k->version = version == c->version ? dup(p, version) : version;
    k->layer = -1;
    k->history = -1;
    k->arch = have_purl && dd__purl_q(&u, "arch") ? dd__purl_q(&u, "arch")
                                                  : dup(p, c->arch);
    k->license = dup(p, c->license);
    k->maintainer = dup(p, c->maintainer);
    k->checksum = dup(p, c->checksum);
    k->vendor = dup(p, c->vendor);
    k->source_rpm = dup(p, c->source_rpm);
    k->modularity = dup(p, c->modularity);
    k->source_name = dup(p, c->source_name);
    k->source_version = dup(p, c->source_version);
    k->db_path = dup(p, c->db_path ? c->db_path : c->path);
    if (p->oom || !k->version) {
        p->oom = 1;
        return;
    }
    if (t == DD_PKG_DPKG || t == DD_PKG_RPM) {
        split_version(p, k);
    } else if (t == DD_PKG_APK) {
        k->upstream = k->version;
    }
    /* Syft's spelling of the source package: upstream=NAME[@VERSION] */
    const char *up = have_purl ? dd__purl_q(&u, "upstream") : NULL;
    if (up && !k->source_name && t <= DD_PKG_RPM) {
        const char *a = strchr(up, '@');
        k->source_name =
            a ? dd__arena_strndup(&d->a, up, (size_t)(a - up)) : up;
        if (a && a[1]) {
            k->source_version = a + 1;
        }
    }
    if (have_purl && t <= DD_PKG_RPM) {
        os_from_purl(p, &u, t);
    }
}

/* ---- CycloneDX ------------------------------------------------------- */

static const char *cdx_licenses(parser *p, json_t *ls)
{
    if (!json_is_array(ls)) {
        return NULL;
    }
    dd__buf b;
    dd__buf_init(&b, 4096);
    size_t i;
    json_t *l;
    json_array_foreach(ls, i, l)
    {
        const char *txt = jstr(l, "expression");
        json_t *lic = json_object_get(l, "license");
        if (!txt && json_is_object(lic)) {
            txt = jstr(lic, "id");
            txt = txt ? txt : jstr(lic, "name");
        }
        if (txt && *txt) {
            if ((b.len && dd__buf_add(&b, ", ", 2)) ||
                dd__buf_addstr(&b, txt)) {
                break; /* over 4 KiB of license text: the rest is dropped */
            }
        }
    }
    const char *r = b.len ? dup(p, b.ptr) : NULL;
    dd__buf_free(&b);
    return r;
}

static const char *cdx_hash(parser *p, json_t *hs, const char *purl)
{
    size_t i;
    json_t *h;
    const char *md5 = NULL;
    json_array_foreach(hs, i, h)
    {
        const char *alg = jstr(h, "alg"), *v = jstr(h, "content");
        if (!alg || !v || strlen(v) > 128) {
            continue;
        }
        if (!strcmp(alg, "SHA-1")) {
            return join2(p, "sha1", ':', v);
        }
        if (!strcmp(alg, "SHA-256")) {
            return join2(p, "sha256", ':', v);
        }
        if (!strcmp(alg, "MD5")) {
            md5 = v;
        }
    }
    /* rpm's sigmd5 is kept bare (pkg/rpm.c) */
    return md5 && purl && !strncmp(purl, "pkg:rpm/", 8) ? dup(p, md5) : NULL;
}

static void cdx_props(json_t *props, cand *c, const char **codename)
{
    size_t i;
    json_t *pr;
    json_array_foreach(props, i, pr)
    {
        const char *n = jstr(pr, "name"), *v = jstr(pr, "value");
        if (!n || !v) {
            continue;
        }
        static const struct {
            const char *name;
            size_t off;
        } MAP[] = {
            {"drydock:package:type", offsetof(cand, type_hint)},
            {"drydock:package:source_name", offsetof(cand, source_name)},
            {"drydock:package:source_version", offsetof(cand, source_version)},
            {"drydock:package:arch", offsetof(cand, arch)},
            {"drydock:package:vendor", offsetof(cand, vendor)},
            {"drydock:package:modularity_label", offsetof(cand, modularity)},
            {"drydock:package:source_rpm", offsetof(cand, source_rpm)},
            {"drydock:package:db_path", offsetof(cand, db_path)},
            {"aquasecurity:trivy:SrcName", offsetof(cand, source_name)},
            {"aquasecurity:trivy:SrcVersion", offsetof(cand, source_version)},
            {"aquasecurity:trivy:FilePath", offsetof(cand, db_path)},
        };
        for (size_t k = 0; k < sizeof MAP / sizeof *MAP; k++) {
            if (!strcmp(MAP[k].name, n)) {
                *(const char **)((char *)c + MAP[k].off) = v;
            }
        }
        if (codename && !strcmp(n, "drydock:os:codename")) {
            *codename = v;
        }
    }
}

/* "Debian GNU/Linux" -> "debian"; an os-release ID stays */
static const char *os_family_of(parser *p, const char *name)
{
    char f[64];
    size_t n = 0;
    for (; name[n] && name[n] != ' ' && n + 1 < sizeof f; n++) {
        char c = name[n];
        f[n] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    f[n] = '\0';
    const dd__eco *e = dd__eco_by_family(f);
    if (!e && (e = dd__eco_by_id(f)) && e->os_family) {
        return dup(p, e->os_family);
    }
    return dup(p, f);
}

static void set_os(parser *p,
                   const char *path,
                   const char *name,
                   const char *version,
                   const char *codename,
                   const char *desc)
{
    dd__sbom_doc *d = p->d;
    if (!name || !*name) {
        warn(p, "%s: an operating system without a name: ignored", path);
        return;
    }
    if (p->os_from_doc) {
        warn(p, "%s: a second operating system: ignored", path);
        return;
    }
    p->os_from_doc = 1;
    d->os_family = os_family_of(p, name);
    d->os_version = dup(p, version);
    d->os_codename = dup(p, codename);
    d->os_name = dup(p, desc);
}

static void cdx_list(parser *p, json_t *arr, const char *base, unsigned depth);

static void
cdx_component(parser *p, json_t *o, const char *path, unsigned depth)
{
    if (!json_is_object(o)) {
        warn(p, "%s: not an object: skipped", path);
        p->d->incomplete = 1;
        return;
    }
    cand c;
    memset(&c, 0, sizeof c);
    c.path = path;
    c.ctype = jstr(o, "type");
    c.name = jstr(o, "name");
    c.group = jstr(o, "group");
    c.version = jstr(o, "version");
    c.purl = jstr(o, "purl");
    const char *codename = NULL;
    cdx_props(json_object_get(o, "properties"), &c, &codename);
    if (c.ctype && !strcmp(c.ctype, "operating-system")) {
        set_os(p, path, c.name, c.version, codename, jstr(o, "description"));
    } else {
        c.license = cdx_licenses(p, json_object_get(o, "licenses"));
        json_t *sup = json_object_get(o, "supplier");
        c.maintainer = json_is_object(sup) ? jstr(sup, "name") : NULL;
        c.maintainer = c.maintainer ? c.maintainer : jstr(o, "author");
        c.checksum = cdx_hash(p, json_object_get(o, "hashes"), c.purl);
        emit(p, &c);
    }
    json_t *kids = json_object_get(o, "components");
    if (json_is_array(kids) && json_array_size(kids) && !p->oom) {
        if (depth + 1 >= p->lim.max_depth) {
            warn(p, "%s.components: nested deeper than %u levels: not read",
                 path, p->lim.max_depth);
            p->d->incomplete = 1;
        } else {
            cdx_list(p, kids, path, depth + 1);
        }
    }
}

static void cdx_list(parser *p, json_t *arr, const char *base, unsigned depth)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        if (p->oom || p->stop) {
            return;
        }
        if (++p->d->n_components > p->lim.max_components) {
            p->stop = 1;
            p->d->budget_hit = 1;
            p->d->incomplete = 1;
            return;
        }
        char path[512];
        snprintf(path, sizeof path, "%s%scomponents[%zu]", base,
                 *base ? "." : "", i);
        cdx_component(p, o, path, depth);
    }
}

static void cyclonedx(parser *p, json_t *root)
{
    const char *sv = jstr(root, "specVersion");
    static const char *const known[] = {"1.4", "1.5", "1.6"};
    int ok = 0;
    for (size_t i = 0; sv && i < sizeof known / sizeof *known; i++) {
        ok |= !strcmp(sv, known[i]);
    }
    if (!ok) {
        char *v = sv ? dd__printable(sv, 16) : NULL;
        warn(p,
             "specVersion %s%s%s is not one drydock knows (1.4-1.6): read "
             "as 1.6",
             sv ? "'" : "", v ? v : "(none)", sv ? "'" : "");
        dd__free(v);
    }
    char fmt[48];
    snprintf(fmt, sizeof fmt, "CycloneDX %.8s", sv ? sv : "?");
    p->d->format = dup(p, fmt);
    json_t *md = json_object_get(root, "metadata");
    json_t *subj = json_is_object(md) ? json_object_get(md, "component") : NULL;
    if (json_is_object(subj)) {
        p->d->subject = dup(p, jstr(subj, "name"));
    }
    json_t *comps = json_object_get(root, "components");
    if (comps && !json_is_array(comps)) {
        warn(p, "components: not an array: no package read");
        p->d->incomplete = 1;
    } else if (comps) {
        cdx_list(p, comps, "", 0);
    }
}

/* ---- SPDX ------------------------------------------------------------ */

static int assertion(const char *s)
{
    return s && *s && strcmp(s, "NOASSERTION") && strcmp(s, "NONE");
}

/* "Person: Name (mail)" -> "Name <mail>", "Organization: X" -> "X" */
static const char *spdx_supplier(parser *p, const char *s)
{
    if (!assertion(s)) {
        return NULL;
    }
    const char *v = strchr(s, ':');
    v = v ? v + 1 : s;
    while (*v == ' ') {
        v++;
    }
    const char *lp = strrchr(v, '(');
    size_t n = strlen(v);
    if (lp && n && v[n - 1] == ')' && lp > v) {
        size_t nl = (size_t)(lp - v);
        while (nl && v[nl - 1] == ' ') {
            nl--;
        }
        char buf[600];
        snprintf(buf, sizeof buf, "%.*s <%.*s>", (int)(nl > 280 ? 280 : nl), v,
                 (int)(n - (size_t)(lp - v) - 2 > 280
                           ? 280
                           : n - (size_t)(lp - v) - 2),
                 lp + 1);
        return dup(p, buf);
    }
    return dup(p, v);
}

static int described(json_t *ids, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        if (json_is_string(v) && id && !strcmp(json_string_value(v), id)) {
            return 1;
        }
    }
    return 0;
}

static void spdx_package(parser *p, json_t *o, const char *path)
{
    if (!json_is_object(o)) {
        warn(p, "%s: not an object: skipped", path);
        p->d->incomplete = 1;
        return;
    }
    cand c;
    memset(&c, 0, sizeof c);
    c.path = path;
    c.name = jstr(o, "name");
    c.version = jstr(o, "versionInfo");
    const char *purpose = jstr(o, "primaryPackagePurpose");
    if (purpose && !strcmp(purpose, "OPERATING-SYSTEM")) {
        set_os(p, path, c.name, c.version, NULL, jstr(o, "description"));
        return;
    }
    json_t *refs = json_object_get(o, "externalRefs");
    size_t i;
    json_t *r;
    json_array_foreach(refs, i, r)
    {
        const char *rt = jstr(r, "referenceType");
        if (rt && !strcmp(rt, "purl") && jstr(r, "referenceLocator")) {
            c.purl = jstr(r, "referenceLocator");
            break;
        }
    }
    if (!c.purl && purpose && strcmp(purpose, "LIBRARY") &&
        strcmp(purpose, "FRAMEWORK")) {
        return; /* a container, an application, a file: no package */
    }
    const char *lic = jstr(o, "licenseDeclared");
    lic = assertion(lic) ? lic : jstr(o, "licenseConcluded");
    if (assertion(lic)) {
        c.license = lic;
    } else if ((lic = jstr(o, "licenseComments"))) {
        static const char pre[] = "declared by the package manager: ";
        c.license =
            !strncmp(lic, pre, sizeof pre - 1) ? lic + sizeof pre - 1 : NULL;
    }
    c.maintainer = spdx_supplier(p, jstr(o, "supplier"));
    json_t *cs;
    json_array_foreach(json_object_get(o, "checksums"), i, cs)
    {
        const char *alg = jstr(cs, "algorithm"), *v = jstr(cs, "checksumValue");
        if (alg && v && !strcmp(alg, "SHA1") && strlen(v) <= 128) {
            c.checksum = join2(p, "sha1", ':', v);
            break;
        }
    }
    /* drydock's own: "source package: NAME VERSION" or a bare name */
    const char *si = jstr(o, "sourceInfo");
    char sname[256] = "", sver[256] = "";
    if (si) {
        static const char pre[] = "source package: ";
        const char *s =
            !strncmp(si, pre, sizeof pre - 1) ? si + sizeof pre - 1 : si;
        size_t n = strcspn(s, " ");
        if (n && n < sizeof sname && (s == si ? !s[n] : 1)) {
            snprintf(sname, sizeof sname, "%.*s", (int)n, s);
            if (s[n] == ' ' && !strchr(s + n + 1, ' ')) {
                snprintf(sver, sizeof sver, "%.255s", s + n + 1);
            }
        }
    }
    c.source_name = sname[0] ? sname : NULL;
    c.source_version = sver[0] ? sver : NULL;
    /* drydock's own comment: "TYPE package from PATH, installed in ..." */
    const char *cm = jstr(o, "comment");
    char dbp[1024] = "";
    if (cm) {
        const char *from = strstr(cm, " package from ");
        const char *end = from ? strstr(from, ", installed in layer ") : NULL;
        if (from && end &&
            type_by_name(
                dd__arena_strndup(&p->d->a, cm, (size_t)(from - cm)))) {
            from += strlen(" package from ");
            snprintf(dbp, sizeof dbp, "%.*s",
                     (int)((size_t)(end - from) < sizeof dbp - 1
                               ? (size_t)(end - from)
                               : sizeof dbp - 1),
                     from);
        }
    }
    c.db_path = dbp[0] ? dbp : NULL;
    emit(p, &c);
}

static void spdx(parser *p, json_t *root)
{
    const char *sv = jstr(root, "spdxVersion");
    if (!sv || strcmp(sv, "SPDX-2.3")) {
        char *v = sv ? dd__printable(sv, 16) : NULL;
        warn(p,
             "spdxVersion '%s' is not one drydock knows (SPDX-2.3): read "
             "as 2.3",
             v ? v : "?");
        dd__free(v);
    }
    p->d->format = dup(p, sv && strlen(sv) < 16 ? sv : "SPDX");
    /* the described package is the subject (when there is one) */
    json_t *desc = json_object_get(root, "documentDescribes");
    json_t *own = NULL;
    if (!json_is_array(desc) || !json_array_size(desc)) {
        own = json_array();
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(root, "relationships"), i, r)
        {
            const char *a = jstr(r, "spdxElementId"),
                       *t = jstr(r, "relationshipType"),
                       *b = jstr(r, "relatedSpdxElement");
            if (own && a && t && b && !strcmp(a, "SPDXRef-DOCUMENT") &&
                !strcmp(t, "DESCRIBES") && json_array_size(own) < 2) {
                json_array_append_new(own, json_string(b));
            }
        }
        desc = own;
    }
    int one = json_array_size(desc) == 1;
    json_t *pkgs = json_object_get(root, "packages");
    if (pkgs && !json_is_array(pkgs)) {
        warn(p, "packages: not an array: no package read");
        p->d->incomplete = 1;
    }
    size_t i;
    json_t *o;
    json_array_foreach(pkgs, i, o)
    {
        if (p->oom) {
            break;
        }
        if (++p->d->n_components > p->lim.max_components) {
            p->d->budget_hit = 1;
            p->d->incomplete = 1;
            break;
        }
        char path[64];
        snprintf(path, sizeof path, "packages[%zu]", i);
        if (one && json_is_object(o) && described(desc, jstr(o, "SPDXID"))) {
            if (!p->d->subject) {
                p->d->subject = dup(p, jstr(o, "name"));
            }
            continue;
        }
        spdx_package(p, o, path);
    }
    json_decref(own);
}

/* ---- entry ----------------------------------------------------------- */

static int find_ci(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++) {
        if (!strncasecmp(s + i, needle, k)) {
            return 1;
        }
    }
    return 0;
}

void dd__sbom_doc_free(dd__sbom_doc *d)
{
    if (!d) {
        return;
    }
    dd__vec_free(&d->pkgs);
    dd__vec_free(&d->warnings);
    dd__arena_free(&d->a);
    dd__free(d);
}

int dd__sbom_parse(dd__sbom_doc **out,
                   const char *data,
                   size_t len,
                   const char *what,
                   const dd__sbom_limits *lim,
                   dd_error *err)
{
    *out = NULL;
    what = what ? what : "SBOM";
    dd__sbom_limits L = {DD__SBOM_MAX_BYTES, DD__SBOM_MAX_COMPONENTS,
                         DD__SBOM_MAX_DEPTH};
    if (lim) {
        L.max_bytes = lim->max_bytes ? lim->max_bytes : L.max_bytes;
        L.max_components =
            lim->max_components ? lim->max_components : L.max_components;
        L.max_depth = lim->max_depth ? lim->max_depth : L.max_depth;
    }
    if (len > L.max_bytes) {
        return dd__error_set(err, DD_ELIMIT,
                             "%s: %zu bytes, over the %zu-byte limit for an "
                             "SBOM",
                             what, len, L.max_bytes);
    }
    size_t at = 0;
    if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
        at = 3;
    }
    while (at < len && (data[at] == ' ' || data[at] == '\t' ||
                        data[at] == '\n' || data[at] == '\r')) {
        at++;
    }
    size_t head = len - at < 4096 ? len - at : 4096;
    if (at < len && data[at] == '<') {
        const char *kind =
            find_ci(data + at, head, "cyclonedx") ? "a CycloneDX XML document"
            : find_ci(data + at, head, "spdx")    ? "an SPDX RDF/XML document"
                                                  : "an XML document";
        return dd__error_set(err, DD_EINVALID, "%s: %s: %s", what, kind,
                             SUPPORTED);
    }
    if (len - at >= 12 && (!strncmp(data + at, "SPDXVersion:", 12) ||
                           find_ci(data + at, head, "\nSPDXVersion:"))) {
        return dd__error_set(err, DD_EINVALID,
                             "%s: an SPDX tag-value document: %s", what,
                             SUPPORTED);
    }
    json_t *root = NULL;
    dd_error je;
    int rc = dd__json_parse(&root, data, len, L.max_bytes, what, &je);
    if (rc) {
        if (rc == DD_ENOMEM) {
            return dd__error_set(err, rc, "%s", je.message);
        }
        return dd__error_set(err, DD_EINVALID, "%s (not JSON; %s)", je.message,
                             SUPPORTED);
    }
    const char *bf = json_is_object(root) ? jstr(root, "bomFormat") : NULL;
    const char *sv = json_is_object(root) ? jstr(root, "spdxVersion") : NULL;
    int cdx = bf && !strcmp(bf, "CycloneDX");
    if (!cdx && !sv) {
        const char *why = !json_is_object(root) ? "JSON, but not an object"
                          : json_object_get(root, "@context")
                              ? "JSON-LD (SPDX 3 or another linked-data "
                                "format)"
                          : bf ? "a 'bomFormat' other than CycloneDX"
                               : "JSON with neither 'bomFormat' (CycloneDX) "
                                 "nor 'spdxVersion' (SPDX)";
        json_decref(root);
        return dd__error_set(err, DD_EINVALID, "%s: %s: %s", what, why,
                             SUPPORTED);
    }
    dd__sbom_doc *d = dd__calloc(1, sizeof *d);
    if (!d) {
        json_decref(root);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__arena_init(&d->a);
    dd__vec_init(&d->pkgs, sizeof(dd_package));
    dd__vec_init(&d->warnings, sizeof(const char *));
    parser p;
    memset(&p, 0, sizeof p);
    p.d = d;
    p.what = what;
    p.lim = L;
    if (cdx) {
        cyclonedx(&p, root);
    } else {
        spdx(&p, root);
    }
    json_decref(root);
    if (p.no_purl) {
        warn(&p,
             "%zu components with a version but no purl: their ecosystem "
             "is unknown, they were not matched",
             p.no_purl);
    }
    for (size_t i = 0; i < p.n_other; i++) {
        warn(&p,
             "%zu components of purl type '%s': drydock has no ecosystem "
             "for them, they were not matched",
             p.other[i].n, p.other[i].type);
    }
    if (p.other_more) {
        warn(&p, "%zu components of other purl types were not matched",
             p.other_more);
    }
    if (p.oom) {
        dd__sbom_doc_free(d);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    *out = d;
    return 0;
}

/* ---- the image ------------------------------------------------------- */

int dd__sbom_image_open(dd_image *img,
                        const char *ref,
                        const char *path,
                        dd_error *err)
{
    if (!*path) {
        return dd__error_set(err, DD_EINVALID, "%s: no file after 'sbom:'",
                             ref);
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        img->missing = 1;
        return dd__error_set(err, DD_ENOTFOUND, "%s: no such file", ref);
    }
    if (!S_ISREG(st.st_mode)) {
        return dd__error_set(err, DD_EUNSUPPORTED,
                             "%s: not a regular file (sbom: reads one "
                             "CycloneDX or SPDX JSON file)",
                             ref);
    }
    if ((uint64_t)st.st_size > DD__SBOM_MAX_BYTES) {
        return dd__error_set(err, DD_ELIMIT,
                             "%s: %llu bytes, over the %zu-byte limit for an "
                             "SBOM",
                             ref, (unsigned long long)st.st_size,
                             DD__SBOM_MAX_BYTES);
    }
    char *data = NULL;
    size_t len = 0;
    int rc = dd__file_read(path, DD__SBOM_MAX_BYTES, &data, &len);
    if (rc) {
        return dd__error_set(err, rc == DD_ELIMIT ? DD_ELIMIT : DD_EIO,
                             "%s: cannot be read", ref);
    }
    dd__sbom_doc *doc = NULL;
    rc = dd__sbom_parse(&doc, data, len, ref, NULL, err);
    dd__free(data);
    if (rc == DD_EINVALID && err) {
        err->code = DD_ECORRUPT; /* the input, not the call: exit 3 */
    }
    if (rc) {
        return rc == DD_EINVALID ? DD_ECORRUPT : rc;
    }
    img->sbom = doc;
    img->info.source = DD_SOURCE_SBOM;
    img->info.path = dd__image_str(img, path);
    img->info.name = dd__image_str(img, ref);
    if (!img->info.path || !img->info.name) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    if (doc->budget_hit) {
        return dd__image_add_budget(
            img, "budget.components",
            "%s lists more than %u components: only the first %u were read",
            ref, DD__SBOM_MAX_COMPONENTS, DD__SBOM_MAX_COMPONENTS);
    }
    return 0;
}

const dd__sbom_doc *dd__image_sbom(const dd_image *img)
{
    return img ? img->sbom : NULL;
}
