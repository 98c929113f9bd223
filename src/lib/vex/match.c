/*
 * lib/vex/match.c - which VEX statement decides a finding (vex_int.h):
 * the vulnerability by id or alias, the product by package purl (type,
 * namespace, name, version when given, distro when both say one), by
 * image (digest, reference or pkg:oci purl) or by platform (CPE, with
 * subcomponents), and the subcomponents by purl.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "drydock/vulndb.h"
#include "vex_int.h"

const char *dd__vex_status_name(dd__vex_status s)
{
    switch (s) {
    case DD__VEX_NOT_AFFECTED:
        return "not_affected";
    case DD__VEX_FIXED:
        return "fixed";
    case DD__VEX_AFFECTED:
        return "affected";
    case DD__VEX_UNDER_INVESTIGATION:
        return "under_investigation";
    }
    return "?";
}

int dd__vex_suppresses(dd__vex_status s)
{
    return s == DD__VEX_NOT_AFFECTED || s == DD__VEX_FIXED;
}

static int ieq(const char *a, const char *b)
{
    return a && b && !strcasecmp(a, b);
}

static int ieqn(const char *a, size_t n, const char *b)
{
    return strlen(b) == n && !strncasecmp(a, b, n);
}

/* ------------------------------------------------------------- purl */

typedef struct purl {
    char type[32], ns[256], name[256], ver[256];
    char distro[128], repo[512], tag[128];
} purl;

static int hexv(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* percent-decode s[0..n) into out; -1 when it does not fit */
static int pdec(char *out, size_t cap, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%' && i + 2 < n && hexv(s[i + 1]) >= 0 &&
            hexv(s[i + 2]) >= 0) {
            c = (char)(hexv(s[i + 1]) * 16 + hexv(s[i + 2]));
            i += 2;
        }
        if (o + 1 >= cap) {
            return -1;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return 0;
}

static int purl_parse(const char *s, purl *p)
{
    memset(p, 0, sizeof *p);
    if (!s || strncasecmp(s, "pkg:", 4)) {
        return -1;
    }
    s += 4;
    while (*s == '/') {
        s++;
    }
    size_t n = strcspn(s, "#");
    const char *q = memchr(s, '?', n);
    size_t body = q ? (size_t)(q - s) : n;
    size_t tl = strcspn(s, "/");
    if (tl >= body || tl >= sizeof p->type) {
        return -1;
    }
    for (size_t i = 0; i < tl; i++) {
        p->type[i] = (char)tolower((unsigned char)s[i]);
    }
    const char *rest = s + tl + 1;
    size_t rl = body - tl - 1;
    const char *at = NULL;
    for (size_t i = rl; i-- > 0;) {
        if (rest[i] == '@') {
            at = rest + i;
            break;
        }
        if (rest[i] == '/') {
            break;
        }
    }
    size_t pl = at ? (size_t)(at - rest) : rl;
    if (at && pdec(p->ver, sizeof p->ver, at + 1, rl - pl - 1)) {
        return -1;
    }
    while (pl && rest[pl - 1] == '/') {
        pl--;
    }
    const char *slash = NULL;
    for (size_t i = pl; i-- > 0;) {
        if (rest[i] == '/') {
            slash = rest + i;
            break;
        }
    }
    size_t nsl = slash ? (size_t)(slash - rest) : 0;
    const char *nm = slash ? slash + 1 : rest;
    size_t nml = pl - (size_t)(nm - rest);
    if (!nml || pdec(p->name, sizeof p->name, nm, nml) ||
        pdec(p->ns, sizeof p->ns, rest, nsl)) {
        return -1;
    }
    /* qualifiers: distro, repository_url, tag */
    for (const char *k = q ? q + 1 : NULL; k && k < s + n;) {
        size_t kl = strcspn(k, "&#");
        if (kl > (size_t)(s + n - k)) {
            kl = (size_t)(s + n - k);
        }
        const char *eq = memchr(k, '=', kl);
        if (eq) {
            size_t key = (size_t)(eq - k), vl = kl - key - 1;
            char *dst = NULL;
            size_t cap = 0;
            if (ieqn(k, key, "distro")) {
                dst = p->distro, cap = sizeof p->distro;
            } else if (ieqn(k, key, "repository_url")) {
                dst = p->repo, cap = sizeof p->repo;
            } else if (ieqn(k, key, "tag")) {
                dst = p->tag, cap = sizeof p->tag;
            }
            if (dst && pdec(dst, cap, eq + 1, vl)) {
                return -1;
            }
        }
        k += kl + 1;
    }
    return 0;
}

/* the statement's version against what is installed ("1:2.3-4" also
 * matches "2.3-4": purls carry the epoch as a qualifier) */
static int ver_eq(const char *want, const dd_vuln_info *v, const purl *fp)
{
    const char *inst = v->installed_version;
    if (!inst) {
        return 0;
    }
    if (!strcmp(want, inst) || (fp->ver[0] && !strcmp(want, fp->ver))) {
        return 1;
    }
    const char *colon = strchr(inst, ':');
    return colon && colon != inst &&
           strspn(inst, "0123456789") == (size_t)(colon - inst) &&
           !strcmp(want, colon + 1);
}

static int
pkg_match(const char *spurl, const char *version, const dd_vuln_info *v)
{
    purl sp, fp;
    if (!v || !v->purl || purl_parse(spurl, &sp) || purl_parse(v->purl, &fp)) {
        return 0;
    }
    if (strcmp(sp.type, fp.type) || strcasecmp(sp.ns, fp.ns) ||
        strcasecmp(sp.name, fp.name)) {
        return 0;
    }
    if (sp.ver[0] && !ver_eq(sp.ver, v, &fp)) {
        return 0;
    }
    if (version && !ver_eq(version, v, &fp)) {
        return 0;
    }
    if (sp.distro[0] && fp.distro[0] && strcasecmp(sp.distro, fp.distro)) {
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------ image */

/* "docker.io/library/alpine:3.20" -> repo "alpine", tag "3.20", digest
 * NULL; lengths into the string */
typedef struct ref {
    const char *repo, *tag, *digest;
    size_t rl, tl, dl;
} ref;

static void ref_split(const char *s, ref *r)
{
    memset(r, 0, sizeof *r);
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (at) {
        r->digest = at + 1;
        r->dl = n - (size_t)(at + 1 - s);
        n = (size_t)(at - s);
    }
    const char *lastslash = NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '/') {
            lastslash = s + i;
        }
    }
    const char *colon = memchr(lastslash ? lastslash : s, ':',
                               n - (size_t)((lastslash ? lastslash : s) - s));
    if (colon) {
        r->tag = colon + 1;
        r->tl = n - (size_t)(colon + 1 - s);
        n = (size_t)(colon - s);
    }
    static const char *const hub[] = {"docker.io/library/",
                                      "index.docker.io/library/",
                                      "registry-1.docker.io/library/",
                                      "docker.io/",
                                      "index.docker.io/",
                                      "library/"};
    for (size_t i = 0; i < sizeof hub / sizeof hub[0]; i++) {
        size_t hl = strlen(hub[i]);
        if (n > hl && !strncasecmp(s, hub[i], hl)) {
            s += hl, n -= hl;
            break;
        }
    }
    r->repo = s;
    r->rl = n;
}

static int digest_is(const dd_image_info *img, const char *d, size_t n)
{
    return (img->manifest_digest && ieqn(d, n, img->manifest_digest)) ||
           (img->config_digest && ieqn(d, n, img->config_digest));
}

/* each name the image goes by */
static const char *img_name(const dd_image_info *img, size_t i)
{
    if (i == 0) {
        return img->name ? img->name : "";
    }
    return i - 1 < img->n_repo_tags ? img->repo_tags[i - 1] : NULL;
}

static int ref_match(const char *prod, const dd_image_info *img)
{
    ref want;
    ref_split(prod, &want);
    if (want.digest) {
        return digest_is(img, want.digest, want.dl);
    }
    for (size_t i = 0; img_name(img, i); i++) {
        ref have;
        ref_split(img_name(img, i), &have);
        if (have.rl && have.rl == want.rl &&
            !strncasecmp(have.repo, want.repo, want.rl) &&
            (!want.tag || (have.tag && have.tl == want.tl &&
                           !strncmp(have.tag, want.tag, want.tl)))) {
            return 1;
        }
    }
    return 0;
}

static int oci_match(const purl *p, const dd_image_info *img)
{
    if (p->ver[0]) {
        return digest_is(img, p->ver, strlen(p->ver));
    }
    for (size_t i = 0; img_name(img, i); i++) {
        ref have;
        ref_split(img_name(img, i), &have);
        const char *last = have.repo;
        for (size_t k = 0; k < have.rl; k++) {
            if (have.repo[k] == '/') {
                last = have.repo + k + 1;
            }
        }
        size_t ll = have.rl - (size_t)(last - have.repo);
        if (!ll || !ieqn(last, ll, p->name)) {
            continue;
        }
        if (p->tag[0] && !(have.tag && ieqn(have.tag, have.tl, p->tag))) {
            continue;
        }
        if (p->repo[0]) {
            ref rr;
            ref_split(p->repo, &rr);
            if (rr.rl != have.rl || strncasecmp(rr.repo, have.repo, rr.rl)) {
                continue;
            }
        }
        return 1;
    }
    return 0;
}

enum { K_PACKAGE, K_IMAGE, K_PLATFORM };

static int product_kind(const char *prod)
{
    if (!*prod || !strncasecmp(prod, "cpe:", 4)) {
        return K_PLATFORM;
    }
    if (!strncasecmp(prod, "pkg:", 4) && strncasecmp(prod, "pkg:oci/", 8)) {
        return K_PACKAGE;
    }
    return K_IMAGE;
}

static int image_match(const char *prod, const dd_image_info *img)
{
    if (!img) {
        return 0;
    }
    if (!strncasecmp(prod, "pkg:oci/", 8)) {
        purl p;
        return !purl_parse(prod, &p) && oci_match(&p, img);
    }
    if (!strncasecmp(prod, "sha256:", 7)) {
        return digest_is(img, prod, strlen(prod));
    }
    return ref_match(prod, img);
}

/* ------------------------------------------------------------- ids */

static int list_has(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncasecmp(p, id, n)) {
            return 1;
        }
        p += k + (p[k] == ',');
    }
    return 0;
}

/* some id of the statement is the finding's id or one of its aliases */
static int id_match(const dd__vex_stmt *s, const dd_finding *f)
{
    const char *refs = f->vuln->references;
    if (ieq(s->vuln, f->rule_id) || list_has(refs, s->vuln)) {
        return 1;
    }
    for (const char *p = s->aliases; p && *p;) {
        size_t k = strcspn(p, ",");
        if (ieqn(p, k, f->rule_id)) {
            return 1;
        }
        for (const char *r = refs; r && *r;) {
            size_t m = strcspn(r, ",");
            if (m == k && !strncasecmp(p, r, k)) {
                return 1;
            }
            r += m + (r[m] == ',');
        }
        p += k + (p[k] == ',');
    }
    return 0;
}

static int
stmt_match(const dd__vex_stmt *s, const dd_finding *f, const dd_image_info *img)
{
    if (!id_match(s, f)) {
        return 0;
    }
    int kind = product_kind(s->product);
    if (!s->n_subs) {
        return kind == K_PACKAGE ? pkg_match(s->product, s->version, f->vuln)
               : kind == K_IMAGE ? image_match(s->product, img)
                                 : 0;
    }
    /* a package product with subcomponents is taken as their container:
     * the subcomponent decides */
    if (kind == K_IMAGE && !image_match(s->product, img)) {
        return 0;
    }
    for (size_t i = 0; i < s->n_subs; i++) {
        if (pkg_match(s->subs[i], s->version, f->vuln)) {
            return 1;
        }
    }
    return 0;
}

/* the statements indexed under `id` that match; the latest into *best */
static void consider(const dd__vex *v,
                     const char *id,
                     size_t n,
                     const dd_finding *f,
                     const dd_image_info *img,
                     const dd__vex_stmt **best)
{
    char key[DD_VEX_MAX_ID + 1];
    if (!n || n > DD_VEX_MAX_ID) {
        return; /* no statement has such an id */
    }
    for (size_t k = 0; k < n; k++) {
        key[k] = (char)toupper((unsigned char)id[k]);
    }
    int64_t at = -1;
    if (!dd__map_get(&v->index, key, n, &at)) {
        return;
    }
    while (at >= 0 && (size_t)at < v->nodes.len) {
        const dd__vex_node *node = DD_VEC_AT(&v->nodes, dd__vex_node, at);
        const dd__vex_stmt *s = DD_VEC_AT(&v->stmts, dd__vex_stmt, node->stmt);
        at = node->next;
        if (s == *best || !stmt_match(s, f, img)) {
            continue;
        }
        const dd__vex_stmt *b = *best;
        int c = b && s->timestamp && b->timestamp
                    ? strcmp(s->timestamp, b->timestamp)
                    : 0;
        if (!b || c > 0 || (c == 0 && s->seq > b->seq)) {
            *best = s;
        }
    }
}

const dd__vex_stmt *
dd__vex_match(const dd__vex *v, const dd_finding *f, const dd_image_info *img)
{
    if (!v || !v->index_ready || !f || !f->vuln || !f->rule_id) {
        return NULL;
    }
    const dd__vex_stmt *best = NULL;
    consider(v, f->rule_id, strlen(f->rule_id), f, img, &best);
    for (const char *r = f->vuln->references; r && *r;) {
        size_t k = strcspn(r, ",");
        consider(v, r, k, f, img, &best);
        r += k + (r[k] == ',');
    }
    return best;
}
