/*
 * lib/policy/parse.c - a policy document (tree.c) decoded into rules,
 * authorities, attestations, finding thresholds and exceptions. Every
 * field is known: an unknown one is an error naming its line and path
 * (with the closest known name), so a typo never weakens a policy; so is
 * a wrong type, a bad glob, severity, mode, duration or date.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/lookalike.h"
#include "../../util/glob.h"
#include "policy_int.h"

typedef struct dec {
    dd__arena *a;
    const char *name;
    dd_error *err;
} dec;

static int
bad(dec *d, const dd__pnode *n, const char *path, const char *fmt, ...)
    DD_PRINTF(4, 5);
static int
bad(dec *d, const dd__pnode *n, const char *path, const char *fmt, ...)
{
    char m[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    char ln[32] = "";
    if (n && n->line) {
        snprintf(ln, sizeof ln, "line %zu: ", n->line);
    }
    return dd__error_set(d->err, DD_EINVALID, "%s: %s%s%s%s", d->name, ln, path,
                         path[0] ? ": " : "", m);
}

/* every key of map n is in `known` (NULL-ended) */
static int
keys_ok(dec *d, const dd__pnode *n, const char *path, const char *const *known)
{
    for (size_t i = 0; i < n->n; i++) {
        int ok = 0;
        const char *near = NULL;
        size_t bd = 3;
        for (size_t k = 0; known[k]; k++) {
            if (!strcmp(n->keys[i], known[k])) {
                ok = 1;
                break;
            }
            size_t dist = dd_lookalike_distance(n->keys[i], known[k], 3);
            if (dist < bd) {
                bd = dist, near = known[k];
            }
        }
        if (!ok) {
            char *p = dd__printable(n->keys[i], 64);
            char hint[80] = "";
            if (near) {
                snprintf(hint, sizeof hint, " (did you mean '%s'?)", near);
            }
            bad(d, n->kids[i], path, "unknown field '%s'%s", p ? p : "?", hint);
            dd__free(p);
            return DD_EINVALID;
        }
    }
    return 0;
}

static const dd__pnode *get(const dd__pnode *n, const char *key)
{
    for (size_t i = 0; n && n->type == DD__PN_MAP && i < n->n; i++) {
        if (!strcmp(n->keys[i], key)) {
            return n->kids[i];
        }
    }
    return NULL;
}

static void sub(char *out, size_t n, const char *path, const char *key)
{
    int k = snprintf(out, n, "%s%s%s", path, path[0] ? "." : "", key);
    if (k < 0 || (size_t)k >= n) {
        out[n - 1] = '\0'; /* a cut path in a message */
    }
}

static int want_map(dec *d, const dd__pnode *n, const char *path)
{
    return n->type == DD__PN_MAP ? 0 : bad(d, n, path, "must be a mapping");
}

static int get_str(
    dec *d, const dd__pnode *m, const char *key, const char *path, char **out)
{
    const dd__pnode *n = get(m, key);
    *out = NULL;
    if (!n) {
        return 0;
    }
    char p[512];
    sub(p, sizeof p, path, key);
    if (n->type != DD__PN_SCALAR) {
        return bad(d, n, p, "must be a string");
    }
    *out = n->s;
    return 0;
}

static int get_bool(
    dec *d, const dd__pnode *m, const char *key, const char *path, int *out)
{
    const dd__pnode *n = get(m, key);
    if (!n) {
        return 0;
    }
    char p[512];
    sub(p, sizeof p, path, key);
    if (n->type == DD__PN_SCALAR && n->plain && !strcmp(n->s, "true")) {
        *out = 1;
    } else if (n->type == DD__PN_SCALAR && n->plain && !strcmp(n->s, "false")) {
        *out = 0;
    } else {
        return bad(d, n, p, "must be true or false");
    }
    return 0;
}

/* a string or a list of strings; each checked as a glob when `glob` */
static int get_list(dec *d,
                    const dd__pnode *m,
                    const char *key,
                    const char *path,
                    int glob,
                    dd__pol_list *out)
{
    const dd__pnode *n = get(m, key);
    memset(out, 0, sizeof *out);
    if (!n) {
        return 0;
    }
    char p[512];
    sub(p, sizeof p, path, key);
    size_t cnt = n->type == DD__PN_SEQ ? n->n : 1;
    if (n->type == DD__PN_MAP) {
        return bad(d, n, p, "must be a string or a list of strings");
    }
    out->v = dd__arena_alloc(d->a, (cnt ? cnt : 1) * sizeof *out->v);
    if (!out->v) {
        return dd__error_set(d->err, DD_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < cnt; i++) {
        const dd__pnode *e = n->type == DD__PN_SEQ ? n->kids[i] : n;
        char ip[540];
        snprintf(ip, sizeof ip, "%s[%zu]", p, i);
        if (e->type != DD__PN_SCALAR) {
            return bad(d, e, ip, "must be a string");
        }
        const char *why = NULL;
        if (glob && dd__policy_glob_check(e->s, &why)) {
            char *q = dd__printable(e->s, 80);
            bad(d, e, ip, "bad glob '%s': %s", q ? q : "?", why);
            dd__free(q);
            return DD_EINVALID;
        }
        out->v[out->n++] = e->s;
    }
    return 0;
}

static int get_sev(dec *d, const dd__pnode *m, const char *path, int *out)
{
    const dd__pnode *n = get(m, "severity");
    *out = -1;
    if (!n) {
        return 0;
    }
    char p[512];
    sub(p, sizeof p, path, "severity");
    int s = n->type == DD__PN_SCALAR ? dd_severity_parse(n->s) : -1;
    if (s < 0) {
        return bad(d, n, p,
                   "must be one of UNKNOWN, INFO, LOW, MEDIUM, HIGH, CRITICAL");
    }
    *out = s;
    return 0;
}

/* "24h", "30m", "7d", "90s", "1h30m" -> seconds */
static int parse_duration(const char *s, int64_t *out)
{
    int64_t total = 0;
    if (!*s) {
        return -1;
    }
    while (*s) {
        if (*s < '0' || *s > '9') {
            return -1;
        }
        int64_t v = 0;
        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (*s++ - '0');
            if (v > 100000000) {
                return -1;
            }
        }
        int64_t mul = *s == 's'   ? 1
                      : *s == 'm' ? 60
                      : *s == 'h' ? 3600
                      : *s == 'd' ? 86400
                                  : 0;
        if (!mul) {
            return -1;
        }
        s++;
        total += v * mul;
    }
    if (total <= 0) {
        return -1;
    }
    *out = total;
    return 0;
}

/* days since 1970-01-01 of a civil date (proleptic Gregorian) */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned dd)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* "YYYY-MM-DD" -> the first second after that day (UTC) */
static int parse_date(const char *s, int64_t *out)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return -1;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return -1;
        }
    }
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
    unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    unsigned dd = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30,
                                     31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || m < 1 || m > 12 || dd < 1 ||
        dd > mdays[m - 1] + (m == 2 && leap)) {
        return -1;
    }
    *out = (days_from_civil(y, m, dd) + 1) * 86400;
    return 0;
}

static int get_mode(dec *d, const dd__pnode *m, const char *path, int *out)
{
    char *s = NULL;
    int rc = get_str(d, m, "mode", path, &s);
    if (rc || !s) {
        return rc;
    }
    if (!strcmp(s, "enforce")) {
        *out = DD__MODE_ENFORCE;
    } else if (!strcmp(s, "warn")) {
        *out = DD__MODE_WARN;
    } else {
        char p[512];
        sub(p, sizeof p, path, "mode");
        return bad(d, get(m, "mode"), p, "must be enforce or warn");
    }
    return 0;
}

/* a list of mappings under `key`: *arr of n items of `size` */
static int get_seq(dec *d,
                   const dd__pnode *m,
                   const char *key,
                   const char *path,
                   size_t size,
                   void **arr,
                   size_t *n,
                   const dd__pnode **seq)
{
    const dd__pnode *s = get(m, key);
    *arr = NULL;
    *n = 0;
    *seq = s;
    if (!s) {
        return 0;
    }
    char p[512];
    sub(p, sizeof p, path, key);
    if (s->type != DD__PN_SEQ) {
        return bad(d, s, p, "must be a list");
    }
    if (!s->n) {
        return 0;
    }
    *arr = dd__arena_alloc(d->a, s->n * size);
    if (!*arr) {
        return dd__error_set(d->err, DD_ENOMEM, "out of memory");
    }
    memset(*arr, 0, s->n * size);
    *n = s->n;
    return 0;
}

static const char *const auth_keys[] = {"name", "key", "keyless", "static",
                                        NULL};
static const char *const keyless_keys[] = {"identity", "identity-regexp",
                                           "issuer", "issuer-regexp", NULL};

static int dec_auth(
    dec *d, const dd__pnode *n, const char *path, size_t idx, dd__pol_auth *a)
{
    int rc;
    if ((rc = want_map(d, n, path)) || (rc = keys_ok(d, n, path, auth_keys)) ||
        (rc = get_str(d, n, "name", path, &a->name)) ||
        (rc = get_str(d, n, "key", path, &a->key_pem))) {
        return rc;
    }
    const dd__pnode *kl = get(n, "keyless"), *st = get(n, "static");
    int kinds = (a->key_pem != NULL) + (kl != NULL) + (st != NULL);
    if (kinds != 1) {
        return bad(d, n, path,
                   "an authority has exactly one of key, keyless, static");
    }
    if (!a->name) {
        a->name = dd__asprintf("authority-%zu", idx);
        char *c = a->name ? dd__arena_strdup(d->a, a->name) : NULL;
        dd__free(a->name);
        if (!(a->name = c)) {
            return dd__error_set(d->err, DD_ENOMEM, "out of memory");
        }
    }
    char p[512];
    if (a->key_pem) {
        a->kind = DD__AUTH_KEY;
        if (!strstr(a->key_pem, "-----BEGIN ")) {
            sub(p, sizeof p, path, "key");
            return bad(d, get(n, "key"), p, "must be a PEM public key");
        }
    } else if (kl) {
        a->kind = DD__AUTH_KEYLESS;
        sub(p, sizeof p, path, "keyless");
        char *id = NULL, *idre = NULL, *is = NULL, *isre = NULL;
        if ((rc = want_map(d, kl, p)) ||
            (rc = keys_ok(d, kl, p, keyless_keys)) ||
            (rc = get_str(d, kl, "identity", p, &id)) ||
            (rc = get_str(d, kl, "identity-regexp", p, &idre)) ||
            (rc = get_str(d, kl, "issuer", p, &is)) ||
            (rc = get_str(d, kl, "issuer-regexp", p, &isre))) {
            return rc;
        }
        if (!id == !idre || !is == !isre) {
            return bad(d, kl, p,
                       "needs one of identity, identity-regexp and one of "
                       "issuer, issuer-regexp");
        }
        a->identity = id ? id : idre;
        a->identity_regex = idre != NULL;
        a->issuer = is ? is : isre;
        a->issuer_regex = isre != NULL;
    } else {
        a->kind = DD__AUTH_STATIC;
        sub(p, sizeof p, path, "static");
        if (st->type == DD__PN_SCALAR && !strcmp(st->s, "allow")) {
            a->static_allow = 1;
        } else if (!(st->type == DD__PN_SCALAR && !strcmp(st->s, "deny"))) {
            return bad(d, st, p, "must be allow or deny");
        }
    }
    return 0;
}

static const char *const att_keys[] = {"name", "predicate-type", "max-age",
                                       NULL};

static int
dec_att(dec *d, const dd__pnode *n, const char *path, dd__pol_attest *a)
{
    int rc;
    char *age = NULL;
    if ((rc = want_map(d, n, path)) || (rc = keys_ok(d, n, path, att_keys)) ||
        (rc = get_str(d, n, "name", path, &a->name)) ||
        (rc = get_str(d, n, "predicate-type", path, &a->predicate_type)) ||
        (rc = get_str(d, n, "max-age", path, &age))) {
        return rc;
    }
    if (!a->predicate_type) {
        return bad(d, n, path, "predicate-type is required");
    }
    if (!a->name) {
        a->name = a->predicate_type;
    }
    if (age && parse_duration(age, &a->max_age)) {
        char p[512];
        sub(p, sizeof p, path, "max-age");
        return bad(d, get(n, "max-age"), p,
                   "must be a duration such as 24h, 30m, 7d or 1h30m");
    }
    return 0;
}

static const char *const fr_keys[] = {
    "name",    "kind",       "id",  "category", "severity", "fixable",
    "deleted", "cvss-above", "max", "action",   NULL};

static int dec_frule(
    dec *d, const dd__pnode *n, const char *path, size_t idx, dd__pol_frule *f)
{
    int rc;
    dd__pol_list kinds;
    char *action = NULL, *cv = NULL, *mx = NULL;
    f->fixable = -1;
    f->deleted = -1;
    f->cvss_above = -1;
    if ((rc = want_map(d, n, path)) || (rc = keys_ok(d, n, path, fr_keys)) ||
        (rc = get_str(d, n, "name", path, &f->name)) ||
        (rc = get_list(d, n, "kind", path, 0, &kinds)) ||
        (rc = get_list(d, n, "id", path, 1, &f->ids)) ||
        (rc = get_list(d, n, "category", path, 0, &f->categories)) ||
        (rc = get_sev(d, n, path, &f->min_sev)) ||
        (rc = get_bool(d, n, "fixable", path, &f->fixable)) ||
        (rc = get_bool(d, n, "deleted", path, &f->deleted)) ||
        (rc = get_str(d, n, "cvss-above", path, &cv)) ||
        (rc = get_str(d, n, "max", path, &mx)) ||
        (rc = get_str(d, n, "action", path, &action))) {
        return rc;
    }
    char p[512];
    for (size_t i = 0; i < kinds.n; i++) {
        /* the kinds the library has (dd_kind_name), whatever they are */
        int k = -1;
        char known[200] = "";
        size_t at = 0;
        for (int j = 0; j < 32; j++) {
            const char *nm = dd_kind_name((dd_finding_kind)j);
            if (!strcmp(nm, "unknown")) {
                break;
            }
            if (!strcmp(kinds.v[i], nm)) {
                k = j;
            }
            if (at < sizeof known) {
                at += (size_t)snprintf(known + at, sizeof known - at, "%s%s",
                                       j ? ", " : "", nm);
            }
        }
        if (k < 0) {
            sub(p, sizeof p, path, "kind");
            return bad(d, get(n, "kind"), p, "unknown kind '%.40s' (%s)",
                       kinds.v[i], known);
        }
        f->kinds |= 1u << k;
    }
    if (cv) {
        char *end = NULL;
        double v = strtod(cv, &end);
        if (!*cv || *end || !(v >= 0 && v <= 10)) {
            sub(p, sizeof p, path, "cvss-above");
            return bad(d, get(n, "cvss-above"), p,
                       "must be a number from 0 to 10");
        }
        f->cvss_above = v;
    }
    if (mx) {
        char *end = NULL;
        unsigned long long v = strtoull(mx, &end, 10);
        if (!*mx || *end || mx[0] == '-' || v > 1000000) {
            sub(p, sizeof p, path, "max");
            return bad(d, get(n, "max"), p, "must be a count (0..1000000)");
        }
        f->max = (size_t)v;
    }
    if (action && !strcmp(action, "warn")) {
        f->warn = 1;
    } else if (action && strcmp(action, "deny")) {
        sub(p, sizeof p, path, "action");
        return bad(d, get(n, "action"), p, "must be deny or warn");
    }
    if (!f->name) {
        char *t = dd__asprintf("findings-%zu", idx);
        f->name = t ? dd__arena_strdup(d->a, t) : NULL;
        dd__free(t);
        if (!f->name) {
            return dd__error_set(d->err, DD_ENOMEM, "out of memory");
        }
    }
    return 0;
}

static const char *const rule_keys[] = {
    "name",         "description", "images",         "mode",     "authorities",
    "attestations", "registries",  "require-digest", "findings", NULL};

static int dec_rule(
    dec *d, const dd__pnode *n, const char *path, size_t idx, dd__pol_rule *r)
{
    int rc;
    char *desc = NULL;
    const dd__pnode *s;
    if ((rc = want_map(d, n, path)) || (rc = keys_ok(d, n, path, rule_keys)) ||
        (rc = get_str(d, n, "name", path, &r->name)) ||
        (rc = get_str(d, n, "description", path, &desc)) ||
        (rc = get_list(d, n, "images", path, 1, &r->images)) ||
        (rc = get_mode(d, n, path, &r->mode)) ||
        (rc = get_list(d, n, "registries", path, 1, &r->registries)) ||
        (rc = get_bool(d, n, "require-digest", path, &r->require_digest))) {
        return rc;
    }
    if (!r->name) {
        return bad(d, n, path, "name is required");
    }
    if (!r->images.n) {
        return bad(d, n, path, "images is required (a glob or a list)");
    }
    char p[512], ip[540];
    if ((rc = get_seq(d, n, "authorities", path, sizeof *r->auth,
                      (void **)&r->auth, &r->n_auth, &s))) {
        return rc;
    }
    sub(p, sizeof p, path, "authorities");
    for (size_t i = 0; i < r->n_auth; i++) {
        snprintf(ip, sizeof ip, "%s[%zu]", p, i);
        if ((rc = dec_auth(d, s->kids[i], ip, i, &r->auth[i]))) {
            return rc;
        }
    }
    if ((rc = get_seq(d, n, "attestations", path, sizeof *r->att,
                      (void **)&r->att, &r->n_att, &s))) {
        return rc;
    }
    sub(p, sizeof p, path, "attestations");
    for (size_t i = 0; i < r->n_att; i++) {
        snprintf(ip, sizeof ip, "%s[%zu]", p, i);
        if ((rc = dec_att(d, s->kids[i], ip, &r->att[i]))) {
            return rc;
        }
    }
    if ((rc = get_seq(d, n, "findings", path, sizeof *r->fr, (void **)&r->fr,
                      &r->n_fr, &s))) {
        return rc;
    }
    sub(p, sizeof p, path, "findings");
    for (size_t i = 0; i < r->n_fr; i++) {
        snprintf(ip, sizeof ip, "%s[%zu]", p, i);
        if ((rc = dec_frule(d, s->kids[i], ip, i, &r->fr[i]))) {
            return rc;
        }
    }
    (void)idx;
    return 0;
}

static const char *const exc_keys[] = {
    "name", "images", "rule", "codes", "ids", "expires", "justification", NULL};

static int dec_exc(dec *d, const dd__pnode *n, const char *path, dd__pol_exc *e)
{
    int rc;
    if ((rc = want_map(d, n, path)) || (rc = keys_ok(d, n, path, exc_keys)) ||
        (rc = get_str(d, n, "name", path, &e->name)) ||
        (rc = get_list(d, n, "images", path, 1, &e->images)) ||
        (rc = get_str(d, n, "rule", path, &e->rule)) ||
        (rc = get_list(d, n, "codes", path, 0, &e->codes)) ||
        (rc = get_list(d, n, "ids", path, 1, &e->ids)) ||
        (rc = get_str(d, n, "expires", path, &e->expires_text)) ||
        (rc = get_str(d, n, "justification", path, &e->justification))) {
        return rc;
    }
    if (!e->name) {
        return bad(d, n, path, "name is required");
    }
    for (size_t i = 0; i < e->codes.n; i++) {
        if (strncmp(e->codes.v[i], "policy.", 7)) {
            char p[512];
            sub(p, sizeof p, path, "codes");
            return bad(d, get(n, "codes"), p,
                       "'%.60s' is not a reason code (policy.*)",
                       e->codes.v[i]);
        }
    }
    if (e->expires_text && parse_date(e->expires_text, &e->expires)) {
        char p[512];
        sub(p, sizeof p, path, "expires");
        return bad(d, get(n, "expires"), p,
                   "must be a date YYYY-MM-DD (valid through that day, UTC)");
    }
    return 0;
}

static const char *const top_keys[] = {
    "version", "name",  "description", "mode", "default",
    "combine", "rules", "exceptions",  "vex",  NULL};

static int decode(dec *d, const dd__pnode *root, dd_policy *pol)
{
    int rc;
    char *ver = NULL, *dflt = NULL, *comb = NULL, *nm = NULL, *desc = NULL;
    if (root->type != DD__PN_MAP) {
        return bad(d, root, "", "the top level must be a mapping");
    }
    pol->mode = DD__MODE_ENFORCE;
    if ((rc = keys_ok(d, root, "", top_keys)) ||
        (rc = get_str(d, root, "version", "", &ver)) ||
        (rc = get_str(d, root, "name", "", &nm)) ||
        (rc = get_str(d, root, "description", "", &desc)) ||
        (rc = get_mode(d, root, "", &pol->mode)) ||
        (rc = get_str(d, root, "default", "", &dflt)) ||
        (rc = get_str(d, root, "combine", "", &comb)) ||
        (rc = get_list(d, root, "vex", "", 0, &pol->vex))) {
        return rc;
    }
    if (!ver || strcmp(ver, "1")) {
        return bad(d, ver ? get(root, "version") : root, "version",
                   ver ? "must be 1" : "is required (version: 1)");
    }
    pol->dflt = DD_POLICY_DENY;
    if (dflt) {
        if (!strcmp(dflt, "allow")) {
            pol->dflt = DD_POLICY_ALLOW;
        } else if (!strcmp(dflt, "warn")) {
            pol->dflt = DD_POLICY_WARN;
        } else if (strcmp(dflt, "deny")) {
            return bad(d, get(root, "default"), "default",
                       "must be allow, warn or deny");
        }
    }
    if (comb) {
        if (!strcmp(comb, "most-specific")) {
            pol->combine = DD__COMBINE_SPECIFIC;
        } else if (strcmp(comb, "all")) {
            return bad(d, get(root, "combine"), "combine",
                       "must be all or most-specific");
        }
    }
    const dd__pnode *s;
    char ip[64];
    if ((rc = get_seq(d, root, "rules", "", sizeof *pol->rules,
                      (void **)&pol->rules, &pol->n_rules, &s))) {
        return rc;
    }
    for (size_t i = 0; i < pol->n_rules; i++) {
        snprintf(ip, sizeof ip, "rules[%zu]", i);
        if ((rc = dec_rule(d, s->kids[i], ip, i, &pol->rules[i]))) {
            return rc;
        }
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(pol->rules[j].name, pol->rules[i].name)) {
                return bad(d, s->kids[i], ip, "a second rule named '%.60s'",
                           pol->rules[i].name);
            }
        }
    }
    if ((rc = get_seq(d, root, "exceptions", "", sizeof *pol->exc,
                      (void **)&pol->exc, &pol->n_exc, &s))) {
        return rc;
    }
    for (size_t i = 0; i < pol->n_exc; i++) {
        snprintf(ip, sizeof ip, "exceptions[%zu]", i);
        if ((rc = dec_exc(d, s->kids[i], ip, &pol->exc[i]))) {
            return rc;
        }
    }
    return 0;
}

int dd_policy_parse(dd_policy **out,
                    const char *name,
                    const char *text,
                    size_t len,
                    dd_error *err)
{
    if (!out || (!text && len)) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_policy_parse: bad arguments");
    }
    *out = NULL;
    name = name ? name : "policy";
    if (len > DD_POLICY_MAX_BYTES) {
        return dd__error_set(err, DD_ELIMIT, "%s: larger than %u bytes", name,
                             DD_POLICY_MAX_BYTES);
    }
    dd_policy *p = dd__calloc(1, sizeof *p);
    if (!p) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__arena_init(&p->arena);
    dd__pnode *root = NULL;
    dec d = {&p->arena, name, err};
    int rc =
        dd__policy_tree(&p->arena, name, text ? text : "", len, &root, err);
    if (!rc) {
        rc = decode(&d, root, p);
    }
    if (rc) {
        dd_policy_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int dd_policy_load(dd_policy **out, const char *path, dd_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    if (!out || !path) {
        return dd__error_set(err, DD_EINVALID, "dd_policy_load: bad arguments");
    }
    *out = NULL;
    int rc = dd__file_read(path, DD_POLICY_MAX_BYTES, &buf, &len);
    if (rc) {
        return dd__error_set(err, rc, "%s: %s", path,
                             rc == DD_ELIMIT      ? "larger than 1 MiB"
                             : rc == DD_ENOTFOUND ? "cannot be opened"
                                                  : dd_strerror(rc));
    }
    rc = dd_policy_parse(out, path, buf, len, err);
    dd__free(buf);
    return rc;
}

void dd_policy_free(dd_policy *p)
{
    if (p) {
        dd__arena_free(&p->arena);
        dd__free(p);
    }
}

unsigned dd_policy_scanners(const dd_policy *p)
{
    unsigned bits = 0;
    for (size_t i = 0; p && i < p->n_rules; i++) {
        for (size_t j = 0; j < p->rules[i].n_fr; j++) {
            unsigned k = p->rules[i].fr[j].kinds;
            if (!k) {
                bits |= DD_SCANNERS_DEFAULT;
            }
            bits |= k & (1u << DD_KIND_VULN) ? DD_SCANNER_VULN : 0;
            bits |= k & (1u << DD_KIND_SECRET) ? DD_SCANNER_SECRET : 0;
            bits |= k & (1u << DD_KIND_MALWARE) ? DD_SCANNER_MALWARE : 0;
            bits |= k & (1u << DD_KIND_CONFIG) ? DD_SCANNER_CONFIG : 0;
        }
    }
    return bits;
}

int dd_policy_needs_scan(const dd_policy *p)
{
    for (size_t i = 0; p && i < p->n_rules; i++) {
        if (p->rules[i].n_fr) {
            return 1;
        }
    }
    return 0;
}

int dd_policy_needs_signatures(const dd_policy *p)
{
    for (size_t i = 0; p && i < p->n_rules; i++) {
        if (p->rules[i].n_att) {
            return 1;
        }
        for (size_t j = 0; j < p->rules[i].n_auth; j++) {
            if (p->rules[i].auth[j].kind != DD__AUTH_STATIC) {
                return 1;
            }
        }
    }
    return 0;
}

/* ------------------------------------------------------------ globs */

int dd__policy_glob_check(const char *pat, const char **why)
{
    if (!*pat) {
        *why = "empty";
        return -1;
    }
    if (strlen(pat) > 512) {
        *why = "longer than 512 bytes";
        return -1;
    }
    for (const char *c = pat; *c; c++) {
        if (strchr("[]{}?\\", *c)) {
            *why = "only * and ** are wildcards ([, ], {, }, ? and \\ are "
                   "not allowed)";
            return -1;
        }
        if ((unsigned char)*c <= ' ' || *c == 0x7f) {
            *why = "a space or control character";
            return -1;
        }
        if (c[0] == '*' && c[1] == '*') {
            if (c[2] == '*') {
                *why = "*** (use * within a segment, ** across segments)";
                return -1;
            }
            if ((c != pat && c[-1] != '/') || (c[2] && c[2] != '/')) {
                *why = "** must be a whole path segment (a/**, **/b)";
                return -1;
            }
            c++;
        }
    }
    char w[96];
    if (dd__glob_check(pat, w, sizeof w)) {
        *why = "malformed";
        return -1;
    }
    return 0;
}

/* the path globs of util/glob.c (linear time); a policy uses only its
 * * and ** (dd__policy_glob_check) */
int dd__policy_glob_match(const char *pat, const char *s)
{
    return dd__glob_match(pat, s);
}

size_t dd__policy_glob_literal(const char *pat)
{
    size_t k = 0;
    for (; *pat; pat++) {
        k += *pat != '*';
    }
    return k;
}

size_t dd_policy_vex_count(const dd_policy *p)
{
    return p ? p->vex.n : 0;
}

const char *dd_policy_vex_file(const dd_policy *p, size_t i)
{
    return p && i < p->vex.n ? p->vex.v[i] : NULL;
}
